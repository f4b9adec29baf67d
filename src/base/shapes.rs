//! The shapes of AWS credential values, in one place: an access key id is
//! 16 to 128 characters of `[A-Z0-9]` (in practice 20, starting with a known
//! prefix), a secret access key is 40 characters of base64 (`[A-Za-z0-9/+=]`).
//! Used by the lints, the checks before a write, key id classification and
//! the redaction of secret-shaped text. Pure.

/// Prefixes of access key ids a profile may hold: a user's key, a session's key.
pub const ACCESS_KEY_PREFIXES: [&str; 2] = ["AKIA", "ASIA"];

/// The length of a secret access key.
pub const SECRET_KEY_CHARS: usize = 40;

/// Whether a value has the characters and length of an access key id
/// (`[A-Z0-9]{16,128}`), whatever its prefix.
pub fn key_id_shaped(value: &str) -> bool {
    (16..=128).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// Whether a value is shaped like an access key id a profile holds: the
/// shape and a known prefix (`AKIA`, `ASIA`).
pub fn looks_like_key_id(value: &str) -> bool {
    key_id_shaped(value) && ACCESS_KEY_PREFIXES.iter().any(|p| value.starts_with(p))
}

/// Whether a character is one of base64's (`[A-Za-z0-9/+=]`), the alphabet of secrets and tokens.
pub fn is_base64_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"+/=".contains(&b)
}

/// Whether a value is shaped like a secret access key: 40 base64 characters.
pub fn looks_like_secret(value: &str) -> bool {
    value.len() == SECRET_KEY_CHARS && value.bytes().all(is_base64_char)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_and_secrets_have_their_shapes() {
        assert!(looks_like_key_id("AKIAIOSFODNN7EXAMPLE") && looks_like_key_id("ASIAIOSFODNN7EXAMPLE"));
        assert!(key_id_shaped("AIDAIOSFODNN7EXAMPLE") && !looks_like_key_id("AIDAIOSFODNN7EXAMPLE"));
        assert!(
            !key_id_shaped("AKIAiosfodnn7EXAMPLE") && !key_id_shaped("AKIA123") && !key_id_shaped(&"A".repeat(129))
        );
        assert!(looks_like_secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
        assert!(!looks_like_secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE") && !looks_like_secret(&"-".repeat(40)));
    }
}
