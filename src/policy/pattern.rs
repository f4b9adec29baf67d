//! Strings of the policy language that match other strings: wildcards (`*`
//! any run of characters, `?` one character) and policy variables
//! (`${aws:username}`, `${aws:PrincipalTag/team, 'default'}`, and the
//! escapes `${*}`, `${?}`, `${$}` for a literal `*`, `?`, `$`). A template
//! is parsed once, when the policy is read; variables are resolved against
//! the request when it is matched. Pure.

use super::context::{Lookup, RequestContext};
#[cfg(test)]
use super::tri::Tri;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Literal(String),
    AnyRun,
    AnyOne,
    Variable { key_lower: String, default: Option<String> },
}

/// A token of a resolved template, borrowing from the template or the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Token<'a> {
    Literal(&'a str),
    AnyRun,
    AnyOne,
}

/// Why a template could not be resolved against a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unresolved {
    /// A variable names a key the request lacks (or holds several values), with no default.
    Missing,
    /// A variable names a key whose value is unknown.
    Unknown(String),
}

/// A policy string, parsed: literal text, wildcards and variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template {
    pieces: Vec<Piece>,
    text: String,
}

impl Template {
    /// Parses `text`. With `wildcards`, `*` and `?` match; with `variables`,
    /// `${...}` is a policy variable (else both are literal text).
    pub fn parse(text: &str, wildcards: bool, variables: bool) -> Template {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if variables
                && rest.starts_with("${")
                && let Some(end) = rest.find('}')
            {
                let inner = &rest[2..end];
                rest = &rest[end + 1..];
                match inner {
                    "*" | "?" | "$" => literal.push_str(inner),
                    _ => {
                        flush(&mut pieces, &mut literal);
                        pieces.push(variable(inner));
                    }
                }
                continue;
            }
            rest = &rest[c.len_utf8()..];
            match c {
                '*' if wildcards => {
                    flush(&mut pieces, &mut literal);
                    pieces.push(Piece::AnyRun);
                }
                '?' if wildcards => {
                    flush(&mut pieces, &mut literal);
                    pieces.push(Piece::AnyOne);
                }
                _ => literal.push(c),
            }
        }
        flush(&mut pieces, &mut literal);
        Template { pieces, text: text.to_string() }
    }

    /// The text as written in the policy.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the template is exactly `*`.
    pub fn is_any(&self) -> bool {
        self.pieces == [Piece::AnyRun]
    }

    /// Resolves the variables against the request.
    pub fn resolve<'a>(&'a self, context: &'a RequestContext) -> Result<Vec<Token<'a>>, Unresolved> {
        self.resolve_or(context, None)
    }

    /// Resolves the variables, putting `*` for those that cannot be resolved:
    /// what the template could match whatever the missing values were.
    pub fn resolve_missing_as_any<'a>(&'a self, context: &'a RequestContext) -> Result<Vec<Token<'a>>, Unresolved> {
        self.resolve_or(context, Some(Token::AnyRun))
    }

    fn resolve_or<'a>(
        &'a self,
        context: &'a RequestContext,
        missing: Option<Token<'a>>,
    ) -> Result<Vec<Token<'a>>, Unresolved> {
        let mut tokens = Vec::with_capacity(self.pieces.len());
        for piece in &self.pieces {
            tokens.push(match piece {
                Piece::Literal(text) => Token::Literal(text),
                Piece::AnyRun => Token::AnyRun,
                Piece::AnyOne => Token::AnyOne,
                Piece::Variable { key_lower, default } => match (context.lookup_lower(key_lower), default) {
                    (Lookup::Single(value), _) => Token::Literal(value),
                    (Lookup::Unknown, _) => return Err(Unresolved::Unknown(key_lower.clone())),
                    (Lookup::Missing | Lookup::Multi(_), Some(default)) => Token::Literal(default),
                    (Lookup::Missing | Lookup::Multi(_), None) => match missing {
                        Some(token) => token,
                        None => return Err(Unresolved::Missing),
                    },
                },
            });
        }
        Ok(tokens)
    }

    #[cfg(test)]
    /// Matches `subject` against the template (variables resolved first): an
    /// unresolvable variable matches nothing; an unknown one is `Unknown`,
    /// recorded in `unknown_keys`.
    pub fn matches(
        &self,
        subject: &str,
        fold_case: bool,
        context: &RequestContext,
        unknown_keys: &mut Vec<String>,
    ) -> Tri {
        match self.resolve(context) {
            Ok(tokens) => Tri::from_bool(glob(&tokens, subject, fold_case)),
            Err(Unresolved::Missing) => Tri::No,
            Err(Unresolved::Unknown(key)) => {
                unknown_keys.push(key);
                Tri::Unknown
            }
        }
    }
}

fn flush(pieces: &mut Vec<Piece>, literal: &mut String) {
    if !literal.is_empty() {
        pieces.push(Piece::Literal(std::mem::take(literal)));
    }
}

fn variable(inner: &str) -> Piece {
    let (name, default) = match inner.split_once(',') {
        Some((name, rest)) => {
            let rest = rest.trim();
            let default = (rest.len() >= 2 && rest.starts_with('\'') && rest.ends_with('\''))
                .then(|| rest[1..rest.len() - 1].to_string());
            (name, default)
        }
        None => (inner, None),
    };
    Piece::Variable { key_lower: name.trim().to_ascii_lowercase(), default }
}

/// Wildcard match of a whole string: `AnyRun` matches any run of characters
/// (empty included), `AnyOne` exactly one character. With `fold_case`,
/// ASCII letters match regardless of case. Linear backtracking on the last
/// `AnyRun`, as usual for globs.
pub(crate) fn glob(tokens: &[Token<'_>], subject: &str, fold_case: bool) -> bool {
    let bytes = subject.as_bytes();
    let (mut t, mut s) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    loop {
        if t < tokens.len() {
            let advanced = match tokens[t] {
                Token::AnyRun => {
                    star = Some((t, s));
                    t += 1;
                    continue;
                }
                Token::AnyOne => match subject[s..].chars().next() {
                    Some(c) => {
                        s += c.len_utf8();
                        true
                    }
                    None => false,
                },
                Token::Literal(text) => {
                    let end = s + text.len();
                    let fits = end <= bytes.len()
                        && if fold_case {
                            bytes[s..end].eq_ignore_ascii_case(text.as_bytes())
                        } else {
                            &bytes[s..end] == text.as_bytes()
                        };
                    if fits {
                        s = end;
                    }
                    fits
                }
            };
            if advanced {
                t += 1;
                continue;
            }
        } else if s == bytes.len() {
            return true;
        }
        // Mismatch: let the last `*` take one more character, if any.
        match star {
            Some((star_t, star_s)) => match subject[star_s..].chars().next() {
                Some(c) => {
                    let next = star_s + c.len_utf8();
                    star = Some((star_t, next));
                    t = star_t + 1;
                    s = next;
                }
                None => return false,
            },
            None => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> RequestContext {
        RequestContext::new("arn:aws:iam::111122223333:user/alice", "s3:GetObject", "*")
            .with_principal_tag("team", "blue")
            .with_strings("aws:TagKeys", &["a", "b"])
            .with_unknown("aws:SourceIdentity")
    }

    fn matches(pattern: &str, subject: &str) -> Tri {
        Template::parse(pattern, true, true).matches(subject, false, &context(), &mut Vec::new())
    }

    #[test]
    fn wildcards_match_runs_and_single_characters() {
        assert_eq!(matches("a*c", "abbbc"), Tri::Yes);
        assert_eq!(matches("a*c", "ac"), Tri::Yes);
        assert_eq!(matches("a?c", "ac"), Tri::No);
        assert_eq!(matches("a?c", "aéc"), Tri::Yes, "? is one character, not one byte");
        assert_eq!(matches("*a*b", "xaxxb"), Tri::Yes);
        assert_eq!(matches("*ab", "aab"), Tri::Yes);
        assert_eq!(matches("a*", "b"), Tri::No);
        assert_eq!(matches("ABC", "abc"), Tri::No, "case-sensitive unless asked");
        let fold = Template::parse("S3:Get*", true, false);
        assert_eq!(fold.matches("s3:getobject", true, &context(), &mut Vec::new()), Tri::Yes);
    }

    #[test]
    fn variables_resolve_default_escape_or_fail() {
        assert_eq!(matches("home/${aws:username}/*", "home/alice/x"), Tri::Yes);
        assert_eq!(matches("home/${AWS:UserName}/*", "home/alice/x"), Tri::Yes, "key names ignore case");
        assert_eq!(matches("${aws:PrincipalTag/team}", "blue"), Tri::Yes);
        assert_eq!(matches("${aws:PrincipalTag/dept, 'none'}", "none"), Tri::Yes);
        assert_eq!(matches("${aws:PrincipalTag/dept}", "${aws:PrincipalTag/dept}"), Tri::No, "missing: no match");
        assert_eq!(matches("${aws:TagKeys}", "a"), Tri::No, "a multivalued key is no variable");
        assert_eq!(matches("${*}${?}${$}", "*?$"), Tri::Yes);
        assert_eq!(matches("${*}", "x"), Tri::No, "the escape is a literal star");
        let mut unknown = Vec::new();
        let tri = Template::parse("${aws:SourceIdentity}", true, true).matches("x", false, &context(), &mut unknown);
        assert_eq!((tri, unknown), (Tri::Unknown, vec!["aws:sourceidentity".to_string()]));
        assert_eq!(
            Template::parse("${aws:username}", true, false).matches("alice", false, &context(), &mut Vec::new()),
            Tri::No,
            "without variables (Version 2008-10-17) the text is literal"
        );
    }

    #[test]
    fn substituted_values_are_literal() {
        let context = RequestContext::new("arn:aws:iam::111122223333:user/a*", "s3:GetObject", "*");
        let template = Template::parse("${aws:username}", true, true);
        assert_eq!(template.matches("abc", false, &context, &mut Vec::new()), Tri::No);
        assert_eq!(template.matches("a*", false, &context, &mut Vec::new()), Tri::Yes);
    }
}
