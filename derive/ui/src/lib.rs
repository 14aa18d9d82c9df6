//! Nothing: this package only holds rest-derive's compile-error tests (`tests/`), apart from
//! rest-derive so that trybuild checks only the few crates the cases use.
