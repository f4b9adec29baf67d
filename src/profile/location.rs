//! Where a value stands, for people: `~/.aws/credentials:4`. The files own how
//! their locations are shown.

use super::{FileKind, Origin};
use crate::base::display::display_path;
use crate::base::environment::Environment;

/// A file location for people: `~/.aws/credentials:4`.
pub fn file_location(env: &Environment, origin: Origin) -> String {
    let path = match origin.file {
        FileKind::Config => env.config_path(),
        FileKind::Credentials => env.credentials_path(),
    };
    format!("{}:{}", display_path(env, &path), origin.line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_location_is_the_file_with_tilde_and_the_line() {
        let env = Environment::from_pairs(Vec::<(String, String)>::new(), Some("/home/a".into()));
        let origin = Origin { file: FileKind::Credentials, line: 4 };
        assert_eq!(file_location(&env, origin), "~/.aws/credentials:4");
    }
}
