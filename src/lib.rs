//! The tem widget.
