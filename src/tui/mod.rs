//! The full-screen wizard. Pure core, thin shell: `app` holds the state (in
//! parts: form, draft, run, view) and the one `update(msg) -> effects`
//! function, with keys, mouse and paste handled in `handlers`; `runtime`
//! performs effects and owns the terminal (all IO); `layout` places
//! everything (shared by rendering and the mouse); `view` draws (one file
//! per widget), from the text of `panels` (one file per step) and
//! `overlay_text`; `wrap` wraps rows with a hanging indent;
//! `keymap` maps keys to actions in one table (matching, help, footer);
//! `remedy` says what Enter and `c` do on a check; `diff` and `repair`
//! prepare writes for confirmation.

pub mod app;
pub mod diff;
pub mod editor;
pub mod fields;
mod handlers;
pub mod handover;
pub mod keymap;
pub mod layout;
pub mod msg;
pub mod overlay_text;
pub mod panels;
pub mod remedy;
pub mod repair;
pub mod runtime;
pub mod search;
pub mod terminal;
pub mod theme;
pub mod trust_request;
pub mod view;
pub mod wrap;
pub mod yank;

pub use app::App;
