//! Laying out an issue: the rounds of Typst layouts (chains threaded,
//! marks hung, columns balanced), heads read back and held to their
//! blocks, fit and overset with the fit report, copyfit, and issues in
//! parallel.

pub mod copyfit;
pub mod hang;
pub mod heads;
pub mod parallel;
pub mod report;
pub mod rounds;
