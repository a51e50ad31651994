//! The account API over real HTTP on loopback, against real SQLite files.

mod account;
mod auth;
mod binary;
mod demo;
mod events;
mod hardening;
mod input;
mod limits;
mod network;
mod revocation;
mod security;
mod sessions;
mod support;
