{
  "targets": [{
    "target_name": "fomlab_native",
    "sources": ["src/addon.cc", "src/dense.cc", "src/mlp.cc", "src/pool.cc", "src/soa.cc", "src/simulate.cc", "src/simulate_napi.cc", "src/simulate_mumu.cc", "src/gbdt.cc", "src/gbdt_sketch.cc", "src/gbdt_napi.cc", "src/disco.cc", "src/transformer.cc", "src/batching.cc", "src/crc32.cc"],
    "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
    "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
    "cflags!": ["-fno-exceptions"],
    "cflags_cc!": ["-fno-exceptions", "-O2", "-O1", "-O0"],
    "cflags_cc": ["-std=c++17", "-O3", "-march=x86-64-v2", "-fno-math-errno", "-fno-trapping-math", "-fopenmp-simd", "-pthread"],
    "ldflags": ["-pthread"]
  }]
}
