//! Candor's criterion benchmarks live in `benches/`; this library holds nothing. They are a package
//! of their own, not candor-core's, because a release build optimises each package at the level
//! Cargo.toml gives it and runs the link-time optimisation at the level of the program's own
//! package: here that is this package, as for the app it is `candor`, and neither is listed
//! among the crates built for speed. So the programs measure candor-core compiled and linked as
//! the app ships it (`bench/release.sh`, `docs/release-build.md`).
