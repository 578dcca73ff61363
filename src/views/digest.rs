//! The digest of a view: what the view serializes, fed straight into a hasher. Two views with
//! the same digest render the same page in the same theme, so the dev server renders again
//! only pages whose digest changed. Hashing the serialized values directly (no JSON text in
//! between) keeps a site's many long note bodies cheap to fingerprint after every edit.

use std::hash::{BuildHasher, Hasher};

use serde::ser::{self, Serialize};

/// The digest of `value`'s serialized form.
pub fn digest(value: &impl Serialize) -> u64 {
    // Fixed seeds: the same value gives the same digest in every run.
    let mut hasher = ahash::RandomState::with_seeds(1, 2, 3, 4).build_hasher();
    // Serializing into a hasher cannot fail; were a value to refuse, its digest still differs.
    if value.serialize(Feed(&mut hasher)).is_err() {
        hasher.write_u8(0xff);
    }
    hasher.finish()
}

/// A serializer whose output goes into a hasher. Every value is preceded by a tag, and
/// strings and sequences by their length, so that different values cannot run together.
struct Feed<'h>(&'h mut ahash::AHasher);

#[derive(Debug)]
struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

impl Feed<'_> {
    fn tag(&mut self, t: u8) {
        self.0.write_u8(t);
    }

    fn bytes(&mut self, t: u8, b: &[u8]) {
        self.0.write_u8(t);
        self.0.write_usize(b.len());
        self.0.write(b);
    }
}

macro_rules! number {
    ($($method:ident: $ty:ty => $tag:literal),*) => {$(
        fn $method(mut self, v: $ty) -> Result<(), Error> {
            self.bytes($tag, &v.to_le_bytes());
            Ok(())
        }
    )*};
}

impl<'h> ser::Serializer for Feed<'h> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    number!(serialize_i8: i8 => 1, serialize_i16: i16 => 2, serialize_i32: i32 => 3,
        serialize_i64: i64 => 4, serialize_u8: u8 => 5, serialize_u16: u16 => 6,
        serialize_u32: u32 => 7, serialize_u64: u64 => 8, serialize_f32: f32 => 9,
        serialize_f64: f64 => 10, serialize_i128: i128 => 11, serialize_u128: u128 => 12);

    fn serialize_bool(mut self, v: bool) -> Result<(), Error> {
        self.tag(13 + u8::from(v));
        Ok(())
    }
    fn serialize_char(mut self, v: char) -> Result<(), Error> {
        self.bytes(15, &u32::from(v).to_le_bytes());
        Ok(())
    }
    fn serialize_str(mut self, v: &str) -> Result<(), Error> {
        self.bytes(16, v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(mut self, v: &[u8]) -> Result<(), Error> {
        self.bytes(17, v);
        Ok(())
    }
    fn serialize_none(mut self) -> Result<(), Error> {
        self.tag(18);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(mut self, v: &T) -> Result<(), Error> {
        self.tag(19);
        v.serialize(self)
    }
    fn serialize_unit(mut self) -> Result<(), Error> {
        self.tag(20);
        Ok(())
    }
    fn serialize_unit_struct(mut self, name: &'static str) -> Result<(), Error> {
        self.bytes(21, name.as_bytes());
        Ok(())
    }
    fn serialize_unit_variant(
        mut self,
        _: &'static str,
        i: u32,
        _: &'static str,
    ) -> Result<(), Error> {
        self.bytes(22, &i.to_le_bytes());
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        mut self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        self.tag(23);
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        mut self,
        _: &'static str,
        i: u32,
        _: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        self.bytes(24, &i.to_le_bytes());
        v.serialize(self)
    }
    fn serialize_seq(mut self, _: Option<usize>) -> Result<Self, Error> {
        self.tag(25);
        Ok(self)
    }
    fn serialize_tuple(mut self, _: usize) -> Result<Self, Error> {
        self.tag(26);
        Ok(self)
    }
    fn serialize_tuple_struct(mut self, _: &'static str, _: usize) -> Result<Self, Error> {
        self.tag(27);
        Ok(self)
    }
    fn serialize_tuple_variant(
        mut self,
        _: &'static str,
        i: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Error> {
        self.bytes(28, &i.to_le_bytes());
        Ok(self)
    }
    fn serialize_map(mut self, _: Option<usize>) -> Result<Self, Error> {
        self.tag(29);
        Ok(self)
    }
    fn serialize_struct(mut self, _: &'static str, _: usize) -> Result<Self, Error> {
        self.tag(30);
        Ok(self)
    }
    fn serialize_struct_variant(
        mut self,
        _: &'static str,
        i: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Error> {
        self.bytes(31, &i.to_le_bytes());
        Ok(self)
    }
}

impl Feed<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.tag(32);
        v.serialize(Feed(self.0))
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<(), Error> {
        self.bytes(33, key.as_bytes());
        v.serialize(Feed(self.0))
    }

    fn end(mut self) -> Result<(), Error> {
        self.tag(34);
        Ok(())
    }
}

macro_rules! compound {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for Feed<'_> {
            type Ok = ();
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
                self.element(v)
            }
            fn end(self) -> Result<(), Error> {
                Feed::end(self)
            }
        }
    )*};
}

compound!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Feed<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), Error> {
        self.element(k)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.element(v)
    }
    fn end(self) -> Result<(), Error> {
        Feed::end(self)
    }
}

macro_rules! fields {
    ($($trait:ident),*) => {$(
        impl ser::$trait for Feed<'_> {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                v: &T,
            ) -> Result<(), Error> {
                self.field(key, v)
            }
            fn end(self) -> Result<(), Error> {
                Feed::end(self)
            }
        }
    )*};
}

fields!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::digest;

    #[derive(serde::Serialize)]
    struct View<'a> {
        title: &'a str,
        body: Option<&'a str>,
        items: Vec<(&'a str, u32)>,
    }

    #[test]
    fn equal_views_have_equal_digests_and_any_change_shows() {
        let view = |title, body, items| digest(&View { title, body, items });
        let base = view("a", Some("<p>b</p>"), vec![("x", 1)]);
        assert_eq!(base, view("a", Some("<p>b</p>"), vec![("x", 1)]));
        assert_ne!(base, view("a", Some("<p>c</p>"), vec![("x", 1)]));
        assert_ne!(base, view("a", None, vec![("x", 1)]));
        assert_ne!(base, view("a", Some("<p>b</p>"), vec![("x", 2)]));
        // Strings carry their length: moving text from one to the next shows.
        assert_ne!(view("ab", Some(""), vec![]), view("a", Some("b"), vec![]));
    }
}
