//! Enumerations stored as stable text codes, with their Vietnamese labels.

/// What every labelled enum offers, so code can be written once for all of them.
pub trait Labelled: Copy + 'static {
    /// Name of the type in locale keys (`enum.<TYPE_NAME>.<code>`).
    const TYPE_NAME: &'static str;
    /// Every variant, in display order.
    fn all() -> &'static [Self];
    /// The stable code.
    fn code(self) -> &'static str;
    /// The Vietnamese label.
    fn label(self) -> &'static str;

    /// Parses a code or a label, ignoring case and diacritics (for imports and forms).
    fn parse_loose(s: &str) -> Option<Self> {
        let t = s.trim();
        if let Some(v) = Self::all().iter().copied().find(|v| v.code() == t) {
            return Some(v);
        }
        let f = crate::text::fold(s);
        Self::all().iter().copied().find(|v| crate::text::fold(v.label()) == f || v.code().replace('_', " ") == f)
    }

    /// The labels joined, for error messages.
    fn labels_list() -> String {
        Self::all().iter().map(|v| v.label()).collect::<Vec<_>>().join(", ")
    }
}

/// Declares an enum whose variants have a stable code (stored in the database and used by
/// the API) and a Vietnamese label (shown to users; the English label comes from the
/// locale catalogue under `enum.<Type>.<code>`).
#[macro_export]
macro_rules! labelled_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $var:ident = $code:tt, $label:tt;)* }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        pub enum $name {
            $($(#[$vm])* #[serde(rename = $code)] $var,)*
        }

        impl $name {
            /// Every variant, in display order.
            pub const ALL: &'static [Self] = &[$(Self::$var),*];

            /// The stable code.
            pub fn code(self) -> &'static str {
                match self { $(Self::$var => $code,)* }
            }

            /// The Vietnamese label.
            pub fn label(self) -> &'static str {
                match self { $(Self::$var => $label,)* }
            }

            /// Parses a code exactly.
            pub fn from_code(s: &str) -> Option<Self> {
                match s { $($code => Some(Self::$var),)* _ => None }
            }

            /// Parses a code or a label, ignoring case and diacritics (for imports and forms).
            pub fn parse_loose(s: &str) -> Option<Self> {
                <Self as $crate::enums::Labelled>::parse_loose(s)
            }

            /// The labels joined, for error messages.
            pub fn labels_list() -> String {
                <Self as $crate::enums::Labelled>::labels_list()
            }
        }

        impl $crate::enums::Labelled for $name {
            const TYPE_NAME: &'static str = stringify!($name);
            fn all() -> &'static [Self] {
                Self::ALL
            }
            fn code(self) -> &'static str {
                $name::code(self)
            }
            fn label(self) -> &'static str {
                $name::label(self)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}
