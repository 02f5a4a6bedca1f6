//! Electronic identification and the population register: production
//! protocol clients and the loopback simulators they are tested against.

pub mod bankid;
pub mod oidc;
pub mod tls;
