//! Compile-time errors as a user sees them: rustc's output for each misuse, pointing at the
//! attribute to change (expected output in `tests/ui/*.stderr`; `TRYBUILD=overwrite` rewrites).

#[test]
fn misuses_fail_with_a_message_saying_what_to_write() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
