//! Paging of list results.

/// Largest page a client may ask for.
pub const MAX_PER_PAGE: u32 = 200;
/// Page size when none is asked for.
pub const DEFAULT_PER_PAGE: u32 = 25;

/// A requested page, already clamped to sane bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    /// 1-based page number.
    pub page: u32,
    /// Rows per page.
    pub per_page: u32,
}

impl PageRequest {
    /// Clamps raw query values: page ≥ 1, 1 ≤ per_page ≤ [`MAX_PER_PAGE`].
    pub fn new(page: Option<u32>, per_page: Option<u32>) -> Self {
        Self { page: page.unwrap_or(1).max(1), per_page: per_page.unwrap_or(DEFAULT_PER_PAGE).clamp(1, MAX_PER_PAGE) }
    }

    /// Rows to skip.
    pub fn offset(&self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.per_page)
    }

    /// Rows to take.
    pub fn limit(&self) -> i64 {
        i64::from(self.per_page)
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        Self::new(None, None)
    }
}

/// One page of results with the total count of matching rows.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Page<T> {
    /// The rows of this page.
    pub items: Vec<T>,
    /// How many rows match in all.
    pub total: i64,
    /// 1-based page number.
    pub page: u32,
    /// Rows per page.
    pub per_page: u32,
}

impl<T> Page<T> {
    /// Number of pages (at least 1).
    pub fn pages(&self) -> u32 {
        let pp = i64::from(self.per_page.max(1));
        u32::try_from(((self.total + pp - 1) / pp).max(1)).unwrap_or(u32::MAX)
    }

    /// The requested page of a list already read whole (short lists: catalogues, rounds,
    /// the rows of a report), so every list pages the same way.
    pub fn slice(all: Vec<T>, req: PageRequest) -> Page<T> {
        let total = all.len() as i64;
        let skip = usize::try_from(req.offset()).unwrap_or(usize::MAX);
        let items = all.into_iter().skip(skip).take(req.per_page as usize).collect();
        Page { items, total, page: req.page, per_page: req.per_page }
    }

    /// Maps the items, keeping the counts.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            page: self.page,
            per_page: self.per_page,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_a_whole_list() {
        let p = Page::slice((1..=7).collect(), PageRequest::new(Some(3), Some(3)));
        assert_eq!((p.pages(), p.total, p.items), (3, 7, vec![7]));
        let p = Page::slice((1..=7).collect::<Vec<i32>>(), PageRequest::new(Some(9), Some(3)));
        assert!(p.items.is_empty() && p.total == 7);
        assert_eq!(PageRequest::new(Some(0), Some(100_000)), PageRequest { page: 1, per_page: MAX_PER_PAGE });
    }
}
