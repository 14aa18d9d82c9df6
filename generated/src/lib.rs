//! Generated clientsets; do not edit by hand.
