//! `cargo fuzz run roster`: see `handouts::fuzzing::roster`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| handouts::fuzzing::roster(data));
