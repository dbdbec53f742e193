//! Licences: SPDX expressions, categories and distribution-model policy.
