//! Laying out an issue: the rounds of Typst layouts (chains, hangs,
//! balancing), fit and overset, copyfit, and issues in parallel.

pub mod copyfit;
pub mod hang;
pub mod parallel;
pub mod rounds;
