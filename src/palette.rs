//! The fixed palette of codes: six colours of the Okabe–Ito set that read
//! on dark and light terminals alike (the extremes, black, white, yellow
//! and deep blue, are left out). A code keeps its colour by its id; under
//! `NO_COLOR` the browser draws no colour and names the code instead.

/// The palette as `#RRGGBB` (REFI-QDA's form) and as RGB.
pub const CODE_COLORS: [(&str, (u8, u8, u8)); 6] = [
    ("#E69F00", (0xE6, 0x9F, 0x00)),
    ("#56B4E9", (0x56, 0xB4, 0xE9)),
    ("#009E73", (0x00, 0x9E, 0x73)),
    ("#D55E00", (0xD5, 0x5E, 0x00)),
    ("#CC79A7", (0xCC, 0x79, 0xA7)),
    ("#8C8C8C", (0x8C, 0x8C, 0x8C)),
];

fn slot(id: i64) -> usize {
    (id.rem_euclid(CODE_COLORS.len() as i64)) as usize
}

/// A code's colour as `#RRGGBB`.
pub fn code_color(id: i64) -> &'static str {
    CODE_COLORS[slot(id)].0
}

/// A code's colour as RGB.
pub fn code_rgb(id: i64) -> (u8, u8, u8) {
    CODE_COLORS[slot(id)].1
}
