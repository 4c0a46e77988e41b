// Loaded with `node --import` into a timed CLI process by bench/cli.bench.ts: prints the process's
// peak resident memory (KiB) on stderr as it exits, as `fomlab-peak-rss-kib=N`.
process.on('exit', () => process.stderr.write(`\nfomlab-peak-rss-kib=${process.resourceUsage().maxRSS}\n`));
