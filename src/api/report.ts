// fomlab.report: the run summary contract and the HTML report (vega-lite → SVG, PNG through resvg).
export { writeReport, reportPlots, readRunSummary, parseRunSummary, hasPngFont, RUN_SUMMARY_SCHEMA, REPORT_HTML } from '../report/index.js';
export type * from '../evaluate/summary.js';
export { attributionPng } from '../report/index.js';
