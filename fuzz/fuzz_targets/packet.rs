//! `cargo fuzz run packet`: see `handouts::fuzzing::packet`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| handouts::fuzzing::packet(data));
