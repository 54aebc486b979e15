pub mod decoder;
pub mod frames;
pub mod portal;
pub mod trust;
