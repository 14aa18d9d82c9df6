//! The generator: input front ends, one model, one emitter.
