//! `cargo fuzz run worksheet`: see `handouts::fuzzing::worksheet`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| handouts::fuzzing::worksheet(data));
