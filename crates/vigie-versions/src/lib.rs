//! Version orderings and ranges of every ecosystem vigie matches advisories in.
