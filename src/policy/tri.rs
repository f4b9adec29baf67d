//! Three-valued logic for evaluation under partial knowledge: a match is
//! known to hold, known not to hold, or depends on something unknown (a
//! context key or a whole policy layer that could not be read). Pure.

/// The truth of a match when part of the request or of the policies is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tri {
    /// Known to hold.
    Yes,
    /// Known not to hold.
    No,
    /// Depends on something unknown.
    Unknown,
}

impl Tri {
    /// `true` becomes `Yes`, `false` becomes `No`.
    pub fn from_bool(value: bool) -> Tri {
        if value { Tri::Yes } else { Tri::No }
    }

    /// Kleene conjunction: `No` wins, then `Unknown`.
    pub fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::No, _) | (_, Tri::No) => Tri::No,
            (Tri::Yes, Tri::Yes) => Tri::Yes,
            _ => Tri::Unknown,
        }
    }

    /// Kleene disjunction: `Yes` wins, then `Unknown`.
    pub fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::Yes, _) | (_, Tri::Yes) => Tri::Yes,
            (Tri::No, Tri::No) => Tri::No,
            _ => Tri::Unknown,
        }
    }

    /// Conjunction over a sequence; empty is `Yes`.
    pub fn all(items: impl IntoIterator<Item = Tri>) -> Tri {
        items.into_iter().fold(Tri::Yes, Tri::and)
    }

    /// Disjunction over a sequence; empty is `No`.
    pub fn any(items: impl IntoIterator<Item = Tri>) -> Tri {
        items.into_iter().fold(Tri::No, Tri::or)
    }
}

impl std::ops::Not for Tri {
    type Output = Tri;

    /// Negation: `Unknown` stays unknown.
    fn not(self) -> Tri {
        match self {
            Tri::Yes => Tri::No,
            Tri::No => Tri::Yes,
            Tri::Unknown => Tri::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Tri::{self, No, Unknown, Yes};

    #[test]
    fn kleene_tables() {
        assert_eq!(Yes.and(Unknown), Unknown);
        assert_eq!(No.and(Unknown), No);
        assert_eq!(Yes.or(Unknown), Yes);
        assert_eq!(No.or(Unknown), Unknown);
        assert_eq!(!Unknown, Unknown);
        assert_eq!(!Yes, No);
        assert_eq!(Tri::all([]), Yes);
        assert_eq!(Tri::any([]), No);
    }
}
