//! A bound on the values a YAML text may expand to, checked before parsing.
//!
//! YAML aliases repeat what an anchor names: `b: &b [*a, *a, *a]` holds three
//! copies of `a`, and a few nested levels of them (a "billion laughs") make a
//! 2 KB front matter expand to millions of values. serde_yaml stops only after
//! a hundred alias jumps per event of the text, which still let fuzzed front
//! matters of 2–3 KB take seconds and more than 2 GB of memory. No case study
//! needs more than a few hundred values, so a text that expands to more than
//! [`MAX_VALUES`] is refused, before any of it is built.

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess};
use serde::de::{VariantAccess, Visitor};

/// Values (scalars, lists and mappings, each counted once) a front matter may
/// expand to: a hundred times what a long case study holds.
pub(crate) const MAX_VALUES: usize = 10_000;

/// Parses `yaml` into a value, unless aliases would expand it beyond
/// [`MAX_VALUES`]. Only a text with an anchor (`&`) can hold an alias, so
/// any other is parsed once, as before.
pub(crate) fn from_str(yaml: &str) -> Result<serde_yaml::Value, serde_yaml::Error> {
    if yaml.contains('&') {
        let mut count = 0;
        Count(&mut count).deserialize(serde_yaml::Deserializer::from_str(yaml))?;
    }
    serde_yaml::from_str(yaml)
}

/// Walks a YAML document as serde_yaml expands it, counting values and
/// failing at the first beyond the limit; builds nothing.
struct Count<'a>(&'a mut usize);

impl Count<'_> {
    fn one<E: de::Error>(&mut self) -> Result<(), E> {
        *self.0 += 1;
        if *self.0 > MAX_VALUES {
            return Err(E::custom(format!(
                "the front matter expands to more than {MAX_VALUES} values \
                 (aliases `*name` repeating lists of aliases?)"
            )));
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Count<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Count<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(mut self, _: bool) -> Result<(), E> {
        self.one()
    }

    fn visit_i64<E: de::Error>(mut self, _: i64) -> Result<(), E> {
        self.one()
    }

    fn visit_u64<E: de::Error>(mut self, _: u64) -> Result<(), E> {
        self.one()
    }

    fn visit_i128<E: de::Error>(mut self, _: i128) -> Result<(), E> {
        self.one()
    }

    fn visit_u128<E: de::Error>(mut self, _: u128) -> Result<(), E> {
        self.one()
    }

    fn visit_f64<E: de::Error>(mut self, _: f64) -> Result<(), E> {
        self.one()
    }

    fn visit_str<E: de::Error>(mut self, _: &str) -> Result<(), E> {
        self.one()
    }

    fn visit_unit<E: de::Error>(mut self) -> Result<(), E> {
        self.one()
    }

    fn visit_none<E: de::Error>(mut self) -> Result<(), E> {
        self.one()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        self.one()?;
        while seq.next_element_seed(Count(&mut *self.0))?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        self.one()?;
        while map.next_key_seed(Count(&mut *self.0))?.is_some() {
            map.next_value_seed(Count(&mut *self.0))?;
        }
        Ok(())
    }

    /// A tagged value (`!tag value`).
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        let (_, value) = data.variant_seed(std::marker::PhantomData::<de::IgnoredAny>)?;
        value.newtype_variant_seed(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Nine levels of nine aliases each: 9^6 values from 250 bytes.
    fn laughs(levels: usize) -> String {
        let mut yaml = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..=levels {
            let previous = format!("*a{}", i - 1);
            let items = [previous.as_str(); 9].join(", ");
            yaml.push_str(&format!("a{i}: &a{i} [{items}]\n"));
        }
        yaml
    }

    #[test]
    fn aliases_expanding_beyond_the_limit_are_refused() {
        let e = from_str(&laughs(6)).unwrap_err();
        assert!(e.to_string().contains("more than 10000 values"), "{e}");
    }

    #[test]
    fn anchors_and_aliases_within_the_limit_still_parse() {
        let value = from_str(&laughs(2)).unwrap();
        assert_eq!(value["a2"][8][8][8], serde_yaml::Value::from("x"));
        let tagged = from_str("a: &a !tag {b: [1, 2.5, ~, true]}\nc: *a\n").unwrap();
        assert!(matches!(tagged["c"], serde_yaml::Value::Tagged(_)));
    }
}
