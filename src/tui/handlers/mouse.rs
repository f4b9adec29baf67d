//! The mouse: a click on a step shows it, a click on a field or a check
//! selects it (a second click acts as Enter), a click on a profile in the
//! picker switches to it; the wheel scrolls what is under the pointer.
//! Part of `update`: pure (the layout is computed from the state).

use crate::tui::app::{App, Modal};
use crate::tui::keymap::Action;
use crate::tui::layout::{self, Hit};
use crate::tui::msg::Effect;
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

/// Lines one wheel step scrolls.
const WHEEL: isize = 3;

impl App {
    pub(crate) fn on_mouse(&mut self, mouse: MouseEvent) -> Vec<Effect> {
        let hit = layout::hit(self, mouse.column, mouse.row);
        match mouse.kind {
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let lines = if mouse.kind == MouseEventKind::ScrollDown { WHEEL } else { -WHEEL };
                self.wheel(hit, lines)
            }
            MouseEventKind::Down(MouseButton::Left) => self.click(hit),
            _ => Vec::new(),
        }
    }

    fn wheel(&mut self, hit: Hit, lines: isize) -> Vec<Effect> {
        match (&self.view.modal, hit) {
            (Some(Modal::Picker(_)), _) => {
                let action = if lines > 0 { Action::Down } else { Action::Up };
                self.on_overlay(action)
            }
            (Some(modal), _) => {
                let max = layout::modal_max_scroll(self, modal);
                self.view.modal_scroll = self.view.modal_scroll.saturating_add_signed(lines).min(max);
                Vec::new()
            }
            (None, Hit::Guide) => {
                let max = layout::guide_max_scroll(self);
                self.view.guide_scroll = self.view.guide_scroll.saturating_add_signed(lines).min(max);
                Vec::new()
            }
            (None, _) => {
                self.scroll_panel(lines);
                Vec::new()
            }
        }
    }

    fn click(&mut self, hit: Hit) -> Vec<Effect> {
        match (&self.view.modal, hit) {
            (Some(Modal::Picker(_)), Hit::Profile(name)) => {
                self.view.modal = None;
                self.switch_profile(name)
            }
            (Some(_), _) => Vec::new(),
            (None, Hit::Step(step)) => {
                self.view.navigated = true;
                if self.form.editing.is_none() {
                    self.show_step(step);
                }
                Vec::new()
            }
            (None, Hit::Item(index)) if self.form.editing.is_none() => {
                if index == self.view.cursor && self.view.follow {
                    return self.on_action(Action::Activate);
                }
                self.view.cursor = index;
                self.follow_cursor();
                Vec::new()
            }
            _ => Vec::new(),
        }
    }
}
