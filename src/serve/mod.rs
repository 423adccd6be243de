//! `kbgen serve`: a live preview. The site is built into memory
//! ([`preview::Preview`]), served over HTTP ([`http`]), and rebuilt when a file
//! changes ([`watch`]); open pages reload themselves, and errors show on the
//! page until the file is fixed.

pub mod http;
pub mod preview;
pub mod watch;
