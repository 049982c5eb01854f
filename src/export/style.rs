//! The look shared by every visual format: one colour pair and shape per entity type, one colour per relation.
//! Colours are ColorBrewer's "Paired" scheme: the light member fills Graphviz nodes behind black text, the dark one
//! colours nodes in Gephi (GEXF `viz:color`, GraphML `r`/`g`/`b`).

/// An RGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// How one entity type is drawn.
#[derive(Clone, Copy, Debug)]
pub struct TypeStyle {
    /// Graphviz node shape.
    pub shape: &'static str,
    /// Light colour (Graphviz fill).
    pub light: Rgb,
    /// Dark colour (Gephi node colour).
    pub dark: Rgb,
}

/// The entity types with a style of their own, in legend order.
pub const STYLED_TYPES: &[&str] = &["company", "official", "district", "park", "organization"];

/// The style of an entity type; user-defined types are grey ellipses.
pub fn type_style(kind: &str) -> TypeStyle {
    let (shape, light, dark) = match kind {
        "company" => ("box", Rgb(0xa6, 0xce, 0xe3), Rgb(0x1f, 0x78, 0xb4)),
        "official" => ("ellipse", Rgb(0xfd, 0xbf, 0x6f), Rgb(0xff, 0x7f, 0x00)),
        "district" => ("house", Rgb(0xb2, 0xdf, 0x8a), Rgb(0x33, 0xa0, 0x2c)),
        "park" => ("component", Rgb(0xca, 0xb2, 0xd6), Rgb(0x6a, 0x3d, 0x9a)),
        "organization" => ("octagon", Rgb(0xfb, 0x9a, 0x99), Rgb(0xe3, 0x1a, 0x1c)),
        _ => ("ellipse", Rgb(0xdd, 0xdd, 0xdd), Rgb(0x88, 0x88, 0x88)),
    };
    TypeStyle { shape, light, dark }
}

/// How one relation is drawn.
#[derive(Clone, Copy, Debug)]
pub struct RelationStyle {
    /// Line colour.
    pub colour: Rgb,
    /// Graphviz line style.
    pub style: &'static str,
    /// Line width.
    pub width: f32,
}

/// The relations with a style of their own, in legend order.
pub const STYLED_RELATIONS: &[&str] = &["leads", "located-in", "invests-in", "co-occurs"];

/// The style of a relation; user-defined relations are dashed purple.
pub fn relation_style(relation: &str) -> RelationStyle {
    let (colour, style, width) = match relation {
        "leads" => (Rgb(0xe3, 0x1a, 0x1c), "solid", 1.6),
        "located-in" => (Rgb(0x33, 0xa0, 0x2c), "solid", 1.6),
        "invests-in" => (Rgb(0x1f, 0x78, 0xb4), "bold", 2.0),
        "co-occurs" => (Rgb(0xc8, 0xc8, 0xc8), "solid", 0.6),
        _ => (Rgb(0x6a, 0x3d, 0x9a), "dashed", 1.2),
    };
    RelationStyle { colour, style, width }
}

/// The values present (sorted, no repeats), the styled ones first in `styled`'s order, then the others: the order of
/// a legend or a filter list.
pub fn legend_order<'a>(styled: &[&str], present: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let present: Vec<&str> = present.into_iter().collect();
    let mut out: Vec<String> = styled.iter().filter(|s| present.contains(s)).map(|s| s.to_string()).collect();
    out.extend(present.into_iter().filter(|p| !styled.contains(p)).map(str::to_string));
    out
}

/// Node size for Gephi: grows with the square root of the number of mentions.
pub fn node_size(mentions: u64) -> f64 {
    let size = 4.0 + 4.0 * (mentions as f64).sqrt();
    (size * 100.0).round() / 100.0
}
