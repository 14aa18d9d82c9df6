//! The dynamic client (client-go's `dynamic` package): any resource, found by discovery or
//! named at run time, with untyped `DynamicObject`s that convert to and from typed ones.

mod client;
mod convert;
mod object;

pub use client::{DynamicClient, DynamicResourceClient};
pub use convert::ConversionError;
pub use object::{DynamicList, DynamicObject};
