//! Request security: the device cookie, CSRF proofs, hashing of client addresses, cookie attributes.

pub mod client;
pub mod cookies;
pub mod csrf;
pub mod device;
pub mod hashing;
pub mod ip_salt;
pub mod proxies;
