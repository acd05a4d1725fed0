//! Decoding a large snapshot on two threads: the objects' array is cut in two at an
//! object's boundary, found by stepping over msgpack values without decoding them, and
//! each half is decoded on its own core.
//!
//! Only for the shape msgspec writes (`Snapshot` as an array of its fields); anything else,
//! and any snapshot this cannot take apart, is left to the one-thread decoder, which also
//! gives the errors.

use rmp_serde::decode::ReadSlice;
use serde::Deserialize;

use crate::model::{Object, Snapshot, MAX_PRESIZED_OBJECTS};

/// Below this many objects, a second thread costs more than it saves.
const MIN_OBJECTS: usize = 4096;

/// Where the parts of an encoded snapshot start.
struct Layout {
    /// 2 (without the role) or 3.
    fields: usize,
    server_version_at: usize,
    objects_at: usize,
    objects: usize,
    /// The start of the object that begins the second half.
    second_half_at: usize,
}

/// The snapshot in `bytes` decoded in two halves at once; None when the snapshot is not
/// laid out as expected, is small, or does not decode (the caller decodes it whole).
pub fn decode(bytes: &[u8]) -> Option<Snapshot> {
    let layout = layout(bytes)?;
    let half = layout.objects / 2;
    let (first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| {
            let mut de = rmp_serde::Deserializer::from_read_ref(&bytes[layout.second_half_at..]);
            let mut objects = Vec::with_capacity((layout.objects - half).min(MAX_PRESIZED_OBJECTS));
            push_objects(&mut de, layout.objects - half, &mut objects)?;
            let role = match layout.fields {
                3 => String::deserialize(&mut de).ok()?,
                _ => String::new(),
            };
            Some((objects, role))
        });
        let mut de = rmp_serde::Deserializer::from_read_ref(&bytes[layout.objects_at..]);
        let mut objects = Vec::with_capacity(layout.objects.min(MAX_PRESIZED_OBJECTS));
        let first = push_objects(&mut de, half, &mut objects).map(|()| objects);
        (first, second.join().expect("decoding cannot panic"))
    });
    let (mut objects, (rest, role)) = (first?, second?);
    objects.extend(rest);
    let server_version: i32 = rmp_serde::from_slice(&bytes[layout.server_version_at..]).ok()?;
    Some(Snapshot {
        server_version,
        objects,
        role,
    })
}

/// Decodes the next `count` objects onto `objects`.
fn push_objects<'de, R: ReadSlice<'de>>(
    de: &mut rmp_serde::Deserializer<R>,
    count: usize,
    objects: &mut Vec<Object>,
) -> Option<()> {
    for _ in 0..count {
        objects.push(Object::deserialize(&mut *de).ok()?);
    }
    Some(())
}

fn layout(bytes: &[u8]) -> Option<Layout> {
    let mut at = 0;
    let fields = array_len(bytes, &mut at)?;
    if !(2..=3).contains(&fields) {
        return None;
    }
    let server_version_at = at;
    skip(bytes, &mut at, 1)?;
    let objects = array_len(bytes, &mut at)?;
    if objects < MIN_OBJECTS {
        return None;
    }
    let objects_at = at;
    skip(bytes, &mut at, objects / 2)?;
    Some(Layout {
        fields,
        server_version_at,
        objects_at,
        objects,
        second_half_at: at,
    })
}

/// The length of the array whose header starts at `at`, moving past the header.
fn array_len(bytes: &[u8], at: &mut usize) -> Option<usize> {
    let marker = *bytes.get(*at)?;
    *at += 1;
    match marker {
        0x90..=0x9f => Some(usize::from(marker & 0x0f)),
        0xdc => Some(be(bytes, at, 2)?),
        0xdd => Some(be(bytes, at, 4)?),
        _ => None,
    }
}

/// Moves `at` past `count` msgpack values.
fn skip(bytes: &[u8], at: &mut usize, count: usize) -> Option<()> {
    let mut left = count;
    while left > 0 {
        left -= 1;
        let marker = *bytes.get(*at)?;
        *at += 1;
        let (payload, values) = match marker {
            0x00..=0x7f | 0xe0..=0xff | 0xc0 | 0xc2 | 0xc3 => (0, 0),
            0x80..=0x8f => (0, 2 * usize::from(marker & 0x0f)),
            0x90..=0x9f => (0, usize::from(marker & 0x0f)),
            0xa0..=0xbf => (usize::from(marker & 0x1f), 0),
            0xcc | 0xd0 => (1, 0),
            0xcd | 0xd1 => (2, 0),
            0xca | 0xce | 0xd2 => (4, 0),
            0xcb | 0xcf | 0xd3 => (8, 0),
            0xd4 => (2, 0),
            0xd5 => (3, 0),
            0xd6 => (5, 0),
            0xd7 => (9, 0),
            0xd8 => (17, 0),
            0xc4 | 0xd9 => (be(bytes, at, 1)?, 0),
            0xc5 | 0xda => (be(bytes, at, 2)?, 0),
            0xc6 | 0xdb => (be(bytes, at, 4)?, 0),
            0xc7 => (be(bytes, at, 1)? + 1, 0),
            0xc8 => (be(bytes, at, 2)? + 1, 0),
            0xc9 => (be(bytes, at, 4)? + 1, 0),
            0xdc => (0, be(bytes, at, 2)?),
            0xdd => (0, be(bytes, at, 4)?),
            0xde => (0, 2 * be(bytes, at, 2)?),
            0xdf => (0, 2 * be(bytes, at, 4)?),
            _ => return None, // 0xc1: never used
        };
        *at = at.checked_add(payload).filter(|&end| end <= bytes.len())?;
        left = left.checked_add(values)?;
    }
    Some(())
}

/// The big-endian unsigned number of `width` bytes at `at`, moving past it.
fn be(bytes: &[u8], at: &mut usize, width: usize) -> Option<usize> {
    let digits = bytes.get(*at..at.checked_add(width)?)?;
    *at += width;
    Some(
        digits
            .iter()
            .fold(0usize, |n, &b| (n << 8) | usize::from(b)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Schema, Spec};

    fn snapshot(objects: usize, role: &str) -> Snapshot {
        Snapshot {
            server_version: 180001,
            objects: (0..objects)
                .map(|i| Object {
                    key: format!("schema:s{i:06}"),
                    owner: (i % 3 == 0).then(|| "x".repeat(i % 300)),
                    deps: (0..i % 4).map(|d| format!("dep{d}")).collect(),
                    spec: Spec::Schema(Schema {
                        name: format!("s{i:06}"),
                    }),
                })
                .collect(),
            role: role.to_string(),
        }
    }

    #[test]
    fn halves_decode_to_what_one_pass_decodes() {
        for objects in [MIN_OBJECTS, MIN_OBJECTS + 1, 70_001] {
            let whole = snapshot(objects, "\"Rôle\"");
            let bytes = crate::encode_snapshot(&whole).unwrap();
            assert_eq!(decode(&bytes), Some(whole));
        }
    }

    #[test]
    fn a_snapshot_loaded_in_halves_hashes_as_its_canonical_encoding() {
        let whole = snapshot(MIN_OBJECTS * 2, "r");
        let bytes = crate::encode_snapshot(&whole).unwrap();
        let loaded = crate::load(&bytes, "given").unwrap();
        assert_eq!(loaded.snapshot, whole);
        assert_eq!(loaded.hash, crate::snapshot_hash(&whole).unwrap());
    }

    #[test]
    fn small_or_unexpected_snapshots_are_left_to_the_one_pass_decoder() {
        let small = crate::encode_snapshot(&snapshot(MIN_OBJECTS - 1, "r")).unwrap();
        assert_eq!(decode(&small), None);
        let bytes = crate::encode_snapshot(&snapshot(MIN_OBJECTS, "r")).unwrap();
        assert_eq!(decode(&bytes[..bytes.len() / 2]), None); // cut short
        assert_eq!(decode(&bytes[1..]), None);
        assert_eq!(decode(&[0xc1]), None);
        assert_eq!(decode(&[]), None);
    }
}
