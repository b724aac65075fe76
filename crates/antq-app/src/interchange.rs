//! Import and export of the registries (C14). Filled in below.
