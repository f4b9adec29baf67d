//! Moving around the wizard (fields, steps, the cursor, pages) and the two
//! toggles of the main screen that need no effect of their own: the
//! environment's keys and the full-screen guide.

use super::super::app::{App, Item, Modal, Notice};
use super::super::fields::Field;
use super::super::keymap::Action;
use super::super::layout;
use super::super::msg::Effect;

impl App {
    /// Moving the cursor, the step or the page: nothing to perform.
    pub(super) fn on_navigation(&mut self, action: Action) {
        match action {
            Action::NextField | Action::PrevField => {
                let next = match self.current() {
                    Some(Item::Field(field)) => self.next_field(field, action == Action::NextField),
                    _ if action == Action::NextField => {
                        self.fields(self.view.step).first().copied().unwrap_or(Field::Profile)
                    }
                    _ => self.fields(self.view.step).last().copied().unwrap_or(Field::PastedError),
                };
                self.focus_field(next);
            }
            Action::NextStep | Action::PrevStep => {
                self.show_step(self.view.step.cycle(action == Action::NextStep));
            }
            Action::Jump(step) => {
                self.show_step(step);
            }
            Action::Up | Action::Down => {
                let last = self.items().len().saturating_sub(1);
                self.view.cursor = if action == Action::Up {
                    self.view.cursor.saturating_sub(1)
                } else {
                    (self.view.cursor + 1).min(last)
                };
                self.follow_cursor();
            }
            Action::PageUp | Action::PageDown => {
                let page = layout::panel_height(self).saturating_sub(2).max(1);
                self.scroll_panel(if action == Action::PageUp { -(page as isize) } else { page as isize });
            }
            _ => {}
        }
    }

    /// `e`: the environment's key variables ignored, or used again; checked again.
    pub(super) fn toggle_env(&mut self) -> Vec<Effect> {
        self.draft.ignore_env = !self.draft.ignore_env;
        self.view.notice = Some(Notice::info(if self.draft.ignore_env {
            "ignoring AWS_ACCESS_KEY_ID/SECRET/SESSION_TOKEN of the environment (e again: use them)"
        } else {
            "using the environment's key variables again"
        }));
        self.start_run()
    }

    /// `g`: the guide of the chosen cause, full screen, or why there is none.
    pub(super) fn open_guide(&mut self) {
        match self.chosen_guide() {
            Some(cause) => self.view.open(Modal::Guide(cause)),
            None => self.view.notice = Some(Notice::info("no guide here: nothing fails in this step")),
        }
    }
}
