//! The key table's own checks: vim keys and arrows agree, text inputs type
//! what the table does not name, every mode has a way back, help and footer
//! show the keys that act.

use super::*;

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

#[test]
fn vim_keys_and_arrows_agree() {
    assert_eq!(action(Normal, &key(KeyCode::Char('j'))), action(Normal, &key(KeyCode::Down)));
    assert_eq!(action(Normal, &key(KeyCode::Char('l'))), action(Normal, &key(KeyCode::Right)));
    assert_eq!(action(Normal, &key(KeyCode::Char('3'))), Some(A::Jump(Step::Mfa)));
    assert_eq!(action(Normal, &ctrl('c')), Some(A::Quit));
    assert_eq!(action(Normal, &key(KeyCode::Esc)), Some(A::Back));
    assert_eq!(action(Normal, &key(KeyCode::Char('x'))), None);
}

#[test]
fn text_inputs_type_what_the_table_does_not_name() {
    assert_eq!(action(Editing, &key(KeyCode::Char('q'))), Some(A::Edit(InputRequest::InsertChar('q'))));
    assert_eq!(action(Picker, &key(KeyCode::Char('j'))), Some(A::Edit(InputRequest::InsertChar('j'))));
    assert_eq!(action(Editing, &key(KeyCode::Esc)), Some(A::Cancel));
    assert_eq!(action(Editing, &ctrl('u')), Some(A::Edit(InputRequest::DeleteLine)));
    assert_eq!(action(Confirm, &key(KeyCode::Char('y'))), Some(A::Confirm));
    assert_eq!(action(Confirm, &key(KeyCode::Char('x'))), None, "a stray key does not answer a question");
    assert_eq!(action(Message, &key(KeyCode::Char('x'))), Some(A::Cancel));
    assert_eq!(action(QuitPrompt, &ctrl('c')), Some(A::DiscardAndQuit));
}

#[test]
fn every_mode_has_a_way_back_and_ctrl_c() {
    for mode in Mode::ALL {
        let esc = action(mode, &key(KeyCode::Esc));
        assert!(matches!(esc, Some(A::Cancel | A::Back)), "{mode:?}: Esc does {esc:?}");
        assert!(action(mode, &ctrl('c')).is_some(), "{mode:?}: no Ctrl-C");
    }
}

#[test]
fn the_help_and_footer_show_every_key_that_acts() {
    let shown: Vec<&str> = help(Normal).map(|b| b.label).collect();
    assert!(shown.iter().any(|l| l.contains("Ctrl-C")) && shown.contains(&"1-5") && shown.contains(&"e"));
    let footer: Vec<&str> = footer(Normal).map(|b| b.footer).collect();
    assert!(footer.contains(&"e env") && footer.contains(&"←→ 1-5 step") && footer.contains(&"q quit"));
    assert!(help_text().contains("Ctrl-C"));
}
