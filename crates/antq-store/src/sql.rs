//! Building SQL with optional filters while keeping `$n` placeholders portable.

use chrono::NaiveDate;

/// A value bound to a placeholder.
#[derive(Clone, Debug)]
pub enum Arg {
    /// Text.
    Text(String),
    /// Nullable text.
    OptText(Option<String>),
    /// Integer.
    I64(i64),
    /// Nullable integer.
    OptI64(Option<i64>),
    /// Boolean.
    Bool(bool),
    /// Date.
    Date(NaiveDate),
    /// Nullable date.
    OptDate(Option<NaiveDate>),
    /// Instant.
    Time(chrono::DateTime<chrono::Utc>),
    /// Nullable instant.
    OptTime(Option<chrono::DateTime<chrono::Utc>>),
    /// Nullable boolean.
    OptBool(Option<bool>),
    /// Bytes.
    Bytes(Vec<u8>),
    /// Nullable float (coordinates).
    OptF64(Option<f64>),
}

/// SQL text plus its arguments in placeholder order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Sql {
    pub text: String,
    pub args: Vec<Arg>,
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Sql { text: text.to_string(), args: Vec::new() }
    }

    /// Appends raw SQL (never user input).
    pub fn push(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }

    /// Appends a placeholder bound to `a`.
    pub fn bind(&mut self, a: Arg) -> &mut Self {
        self.args.push(a);
        self.text.push('$');
        self.text.push_str(&self.args.len().to_string());
        self
    }

    /// Appends `(…)` of a multi-row `VALUES` list: `, ` before every row but the first, one
    /// placeholder per argument.
    pub fn values_row(&mut self, first: bool, args: impl IntoIterator<Item = Arg>) -> &mut Self {
        self.push(if first { "(" } else { ", (" });
        for (k, a) in args.into_iter().enumerate() {
            if k > 0 {
                self.push(", ");
            }
            self.bind(a);
        }
        self.push(")")
    }

    /// The text for `backend`. SQLite looks a named parameter (`$7`) up by walking its list of
    /// names, so a statement with thousands of them binds in quadratic time; the builder numbers
    /// placeholders in order, so for SQLite they become plain positional `?`.
    pub fn text_for(&self, backend: crate::Backend) -> String {
        if backend == crate::Backend::Postgres {
            return self.text.clone();
        }
        let mut out = String::with_capacity(self.text.len());
        let mut chars = self.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '$' && chars.peek().is_some_and(|d| d.is_ascii_digit()) {
                while chars.peek().is_some_and(|d| d.is_ascii_digit()) {
                    chars.next();
                }
                out.push('?');
            } else {
                out.push(c);
            }
        }
        out
    }

    /// ` AND col IN ($n, …)` over `values` (not empty).
    pub fn in_texts(&mut self, col: &str, values: &[impl AsRef<str>]) -> &mut Self {
        self.push(" AND ").push(col).push(" IN (");
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.bind(Arg::Text(v.as_ref().to_string()));
        }
        self.push(")")
    }

    /// `AND col = $n` when `v` is set.
    pub fn and_eq(&mut self, col: &str, v: Option<&str>) -> &mut Self {
        if let Some(v) = v {
            self.push(" AND ").push(col).push(" = ").bind(Arg::Text(v.to_string()));
        }
        self
    }
}

/// Binds a list of [`Arg`]s to a sqlx query (works for `query`, `query_as`, `query_scalar`).
#[macro_export]
#[doc(hidden)]
macro_rules! bind_args {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                $crate::Arg::Text(v) => q.bind(v),
                $crate::Arg::OptText(v) => q.bind(v),
                $crate::Arg::I64(v) => q.bind(v),
                $crate::Arg::OptI64(v) => q.bind(v),
                $crate::Arg::Bool(v) => q.bind(v),
                $crate::Arg::Date(v) => q.bind(v),
                $crate::Arg::OptDate(v) => q.bind(v),
                $crate::Arg::Time(v) => q.bind(v),
                $crate::Arg::OptTime(v) => q.bind(v),
                $crate::Arg::OptBool(v) => q.bind(v),
                $crate::Arg::Bytes(v) => q.bind(v),
                $crate::Arg::OptF64(v) => q.bind(v),
            };
        }
        q
    }};
}

/// Rows decodable from both backends.
pub(crate) trait BothRows:
    for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin
{
}
impl<T> BothRows for T where
    T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + Send
        + Unpin
{
}

/// Runs `SELECT {columns} {from_where} {order} LIMIT/OFFSET` and the matching `COUNT(*)`.
pub(crate) async fn fetch_page<R: BothRows>(
    db: &crate::Db,
    columns: &str,
    from_where: &Sql,
    order: &str,
    page: antq_domain::page::PageRequest,
) -> crate::StoreResult<(Vec<R>, i64)> {
    let count_sql = format!("SELECT COUNT(*) {}", from_where.text);
    let total: i64 = crate::with_db!(db, p => crate::bind_args!(
        sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql.clone())), from_where.args.clone()).fetch_one(p).await)?;
    let mut q = Sql {
        text: format!("SELECT {columns} {} ORDER BY {order} LIMIT ", from_where.text),
        args: from_where.args.clone(),
    };
    q.bind(Arg::I64(page.limit())).push(" OFFSET ").bind(Arg::I64(page.offset()));
    let rows = fetch_all(db, &q).await?;
    Ok((rows, total))
}

/// Runs a built query and decodes every row.
pub(crate) async fn fetch_all<R: BothRows>(db: &crate::Db, q: &Sql) -> crate::StoreResult<Vec<R>> {
    Ok(crate::with_db!(db, p => crate::bind_args!(
        sqlx::query_as(sqlx::AssertSqlSafe(q.text.clone())), q.args.clone()).fetch_all(p).await)?)
}

/// Runs a built statement inside `tx`; returns the rows affected.
pub(crate) async fn execute(tx: &mut crate::Tx, q: &Sql) -> crate::StoreResult<u64> {
    let text = q.text_for(tx.backend());
    Ok(crate::with_tx!(tx, c => crate::bind_args!(sqlx::query(sqlx::AssertSqlSafe(text.clone())), q.args.clone())
        .execute(c).await.map(|r| r.rows_affected()))?)
}

/// `UPDATE {table} SET {set} WHERE id = … AND state = {from}`: `set` marks each argument with
/// `?`. A row no longer in `from` (someone else moved it) is a `Conflict`.
pub(crate) async fn update_in_state(
    tx: &mut crate::Tx,
    table: &str,
    id: i64,
    from: &str,
    set: &str,
    args: Vec<Arg>,
) -> crate::StoreResult<()> {
    let mut q = Sql::new(&format!("UPDATE {table} SET "));
    let mut parts = set.split('?');
    q.push(parts.next().unwrap_or(""));
    for (part, a) in parts.zip(args) {
        q.bind(a).push(part);
    }
    q.push(" WHERE id = ").bind(Arg::I64(id)).push(" AND state = ").bind(Arg::Text(from.into()));
    let n = crate::with_tx!(tx, c => crate::bind_args!(sqlx::query(sqlx::AssertSqlSafe(q.text.clone())), q.args.clone())
        .execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 { Err(crate::StoreError::Conflict) } else { Ok(()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_placeholders_are_positional() {
        let mut q = Sql::new("INSERT INTO t (a, b) VALUES ");
        q.values_row(true, [Arg::I64(1), Arg::Text("x".into())])
            .values_row(false, [Arg::I64(2), Arg::Text("$9".into())]);
        assert_eq!(q.text, "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)");
        assert_eq!(q.text_for(crate::Backend::Sqlite), "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)");
        assert_eq!(q.text_for(crate::Backend::Postgres), q.text);
    }
}
