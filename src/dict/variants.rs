//! Other forms of a known name: 扬州经开区 for 扬州经济技术开发区, 江华县 for 江华瑶族自治县, 暨X for X. `suggest`
//! proposes such a form as an alias row of the entity instead of a new entity.

use rustc_hash::FxHashMap;

use super::Dictionary;
use crate::model::EntityId;

/// Short and long forms of zone names, in both directions.
const FORMS: &[(&str, &str)] = &[
    ("经开区", "经济技术开发区"),
    ("经开区", "经济开发区"),
    ("高新区", "高新技术产业开发区"),
    ("综保区", "综合保税区"),
    ("保税区", "综合保税区"),
];

impl Dictionary {
    /// The known entity a name is another form of, when exactly one is: a leading 暨 dropped, a zone's short or
    /// long form (经开区 ↔ 经济技术开发区, 高新区 ↔ 高新技术产业开发区), or a county, prefecture or banner named
    /// without its autonomous part (江华县 for 江华瑶族自治县).
    pub fn variant_of(&self, name: &str) -> Option<EntityId> {
        if let Some(rest) = name.strip_prefix('暨') {
            if let Some(e) = self.lookup(rest) {
                return Some(e);
            }
        }
        for (short, long) in FORMS {
            for (from, to) in [(short, long), (long, short)] {
                if name.contains(from) {
                    if let Some(e) = self.lookup(&name.replacen(from, to, 1)) {
                        return Some(e);
                    }
                }
            }
        }
        self.autonomous(name)
    }

    /// 江华县 → the one district whose name is 江华 + an ethnic name + 自治县 (also 州, 旗).
    fn autonomous(&self, name: &str) -> Option<EntityId> {
        let index = self.core.autonomous.get_or_init(|| {
            let mut index: FxHashMap<String, Option<EntityId>> = FxHashMap::default();
            for (id, e) in self.core.entities.iter().enumerate().filter(|(_, e)| e.kind == "district") {
                for level in ['县', '州', '旗'] {
                    let Some(rest) = e.name.strip_suffix(&format!("自治{level}")) else { continue };
                    // The place before the ethnic name: its first two characters (江华瑶族 → 江华).
                    let stem: String = rest.chars().take(2).collect();
                    if stem.chars().count() == 2 && rest.chars().count() > 2 {
                        index.entry(format!("{stem}{level}")).and_modify(|v| *v = None).or_insert(Some(id));
                    }
                }
            }
            index
        });
        index.get(name).copied().flatten()
    }
}

#[cfg(test)]
mod tests {
    use crate::dict::Dictionary;

    #[test]
    fn other_forms_of_known_names() {
        let mut dict = Dictionary::empty();
        let rows =
            "name,type,aliases\n扬州经济技术开发区,district,\n江华瑶族自治县,district,\n长阳土家族自治县,district,\n\
                    国电投新能源项目,park,\n潍坊高新区,district,\n";
        dict.load_bytes(rows.as_bytes(), "t.csv", true).unwrap();
        let name = |n: &str| dict.variant_of(n).map(|e| dict.entity(e).name.clone());
        let table = [
            ("扬州经开区", Some("扬州经济技术开发区")),
            ("江华县", Some("江华瑶族自治县")),
            ("长阳县", Some("长阳土家族自治县")),
            ("暨国电投新能源项目", Some("国电投新能源项目")),
            ("潍坊高新技术产业开发区", Some("潍坊高新区")),
            ("江县", None),
            ("扬州高新区", None),
        ];
        for (form, want) in table {
            assert_eq!(name(form).as_deref(), want, "{form}");
        }
    }
}
