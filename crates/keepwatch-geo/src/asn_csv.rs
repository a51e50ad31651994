//! ASN range CSV files, as published by ip-location-db (`asn-ipv4.csv`, `asn-ipv6.csv`).
//!
//! Each line is `ip_range_start,ip_range_end,autonomous_system_number,autonomous_system_organization`
//! with an inclusive range, no header, and the organisation quoted RFC 4180-style when it
//! contains a comma or a quote (`"Cloudflare, Inc."`, `"LLC ""SPUTNIK"""`). IPv4 and IPv6 rows
//! may share a file.
//!
//! The real IPv4 file has about 410,000 lines with 75,000 distinct organisations, so ranges are
//! kept as fixed-size integers in sorted vectors (binary search) and each organisation name
//! is stored once.

use std::borrow::Cow;
use std::collections::HashMap;
use std::net::IpAddr;
use std::path::Path;

use keepwatch_api::Network;

use crate::GeoError;

/// Marks a range without an organisation name.
const NO_ORG: u32 = u32::MAX;

/// An inclusive address range and who announces it.
#[derive(Debug, Clone, Copy)]
struct Range<T> {
    start: T,
    end: T,
    /// 0 when unknown.
    asn: u32,
    /// Index into [`AsnCsv::orgs`], or [`NO_ORG`].
    org: u32,
}

/// A parsed ASN CSV file.
pub(crate) struct AsnCsv {
    v4: Vec<Range<u32>>,
    v6: Vec<Range<u128>>,
    orgs: Vec<Box<str>>,
}

impl AsnCsv {
    /// Parses `bytes`, the content of `path`.
    pub(crate) fn parse(path: &Path, bytes: &[u8]) -> Result<AsnCsv, GeoError> {
        let mut builder = Builder::default();
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        for (index, raw) in bytes.split(|&b| b == b'\n').enumerate() {
            let line_no = index + 1;
            let fail = |message: String| GeoError::Csv {
                path: path.to_path_buf(),
                line: line_no,
                message,
            };
            let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
            let line =
                std::str::from_utf8(raw).map_err(|e| fail(format!("not valid UTF-8 ({e})")))?;
            if line.trim().is_empty() {
                continue;
            }
            let fields = split_fields(line).map_err(fail)?;
            let is_header = fields
                .first()
                .is_some_and(|first| first.trim().eq_ignore_ascii_case("ip_range_start"));
            if line_no == 1 && is_header {
                continue;
            }
            builder.add(&fields).map_err(fail)?;
        }
        if builder.v4.is_empty() && builder.v6.is_empty() {
            return Err(GeoError::Empty {
                path: path.to_path_buf(),
            });
        }
        Ok(builder.finish(path))
    }

    /// How many ranges the file holds.
    pub(crate) fn len(&self) -> usize {
        self.v4.len() + self.v6.len()
    }

    /// The network of `ip`, if a range covers it.
    pub(crate) fn lookup(&self, ip: IpAddr) -> Option<Network> {
        let (asn, org) = match ip {
            IpAddr::V4(v4) => find(&self.v4, u32::from(v4))?,
            IpAddr::V6(v6) => find(&self.v6, u128::from(v6))?,
        };
        Some(Network {
            asn: (asn != 0).then_some(asn),
            isp: self.orgs.get(org as usize).map(|name| name.to_string()),
        })
    }
}

/// The range of sorted, non-overlapping `ranges` that holds `x`.
fn find<T: Ord + Copy>(ranges: &[Range<T>], x: T) -> Option<(u32, u32)> {
    let after = ranges.partition_point(|r| r.start <= x);
    let range = ranges.get(after.checked_sub(1)?)?;
    (x <= range.end).then_some((range.asn, range.org))
}

/// Collects ranges while interning organisation names.
#[derive(Default)]
struct Builder {
    v4: Vec<Range<u32>>,
    v6: Vec<Range<u128>>,
    orgs: Vec<Box<str>>,
    org_index: HashMap<Box<str>, u32>,
}

impl Builder {
    fn add(&mut self, fields: &[Cow<'_, str>]) -> Result<(), String> {
        let [start, end, asn, org] = fields else {
            return Err(format!(
                "expected 4 fields (ip_range_start,ip_range_end,autonomous_system_number,\
                 autonomous_system_organization), found {}",
                fields.len()
            ));
        };
        let start: IpAddr = start
            .trim()
            .parse()
            .map_err(|_| format!("ip_range_start {start:?} is not an IP address"))?;
        let end: IpAddr = end
            .trim()
            .parse()
            .map_err(|_| format!("ip_range_end {end:?} is not an IP address"))?;
        let asn: u32 = asn.trim().parse().map_err(|_| {
            format!("autonomous_system_number {asn:?} is not a number from 0 to 4294967295")
        })?;
        let org = self.intern(org.trim());
        match (start, end) {
            (IpAddr::V4(start), IpAddr::V4(end)) => {
                let (start, end) = (u32::from(start), u32::from(end));
                if start > end {
                    return Err("ip_range_start is after ip_range_end".into());
                }
                self.v4.push(Range {
                    start,
                    end,
                    asn,
                    org,
                });
            }
            (IpAddr::V6(start), IpAddr::V6(end)) => {
                let (start, end) = (u128::from(start), u128::from(end));
                if start > end {
                    return Err("ip_range_start is after ip_range_end".into());
                }
                self.v6.push(Range {
                    start,
                    end,
                    asn,
                    org,
                });
            }
            _ => return Err("ip_range_start and ip_range_end are of different IP versions".into()),
        }
        Ok(())
    }

    fn intern(&mut self, org: &str) -> u32 {
        if org.is_empty() {
            return NO_ORG;
        }
        if let Some(&index) = self.org_index.get(org) {
            return index;
        }
        // 4 billion distinct names cannot fit in memory anyway; saturate rather than wrap.
        let index = u32::try_from(self.orgs.len()).unwrap_or(NO_ORG);
        self.orgs.push(org.into());
        self.org_index.insert(org.into(), index);
        index
    }

    fn finish(self, path: &Path) -> AsnCsv {
        let Builder { v4, v6, orgs, .. } = self;
        AsnCsv {
            v4: normalise(v4, path),
            v6: normalise(v6, path),
            orgs,
        }
    }
}

/// Sorts `ranges` and makes them disjoint, as binary search needs. Where ranges overlap (the
/// real IPv4 file has one such pair) the earlier-starting range keeps the shared addresses.
fn normalise<T: Ord + Copy + Step>(mut ranges: Vec<Range<T>>, path: &Path) -> Vec<Range<T>> {
    ranges.sort_unstable_by_key(|r| (r.start, r.end));
    let mut kept: Vec<Range<T>> = Vec::with_capacity(ranges.len());
    let mut clipped = 0usize;
    for mut range in ranges {
        if let Some(last) = kept.last() {
            if range.start <= last.end {
                clipped += 1;
                match last.end.next() {
                    Some(next) if next <= range.end => range.start = next,
                    _ => continue, // wholly covered by the range before it
                }
            }
        }
        kept.push(range);
    }
    if clipped > 0 {
        tracing::debug!(path = %path.display(), clipped, "overlapping ASN ranges clipped");
    }
    kept.shrink_to_fit();
    kept
}

/// The next integer address, if any.
trait Step: Sized {
    fn next(self) -> Option<Self>;
}

impl Step for u32 {
    fn next(self) -> Option<u32> {
        self.checked_add(1)
    }
}

impl Step for u128 {
    fn next(self) -> Option<u128> {
        self.checked_add(1)
    }
}

/// Splits one CSV line into fields, undoing RFC 4180 quoting.
fn split_fields(line: &str) -> Result<Vec<Cow<'_, str>>, String> {
    let mut fields = Vec::with_capacity(4);
    let mut rest = line;
    loop {
        if let Some(quoted) = rest.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = quoted.char_indices();
            let after = loop {
                match chars.next() {
                    None => return Err("a quoted field is not closed".into()),
                    Some((i, '"')) => {
                        if quoted[i + 1..].starts_with('"') {
                            value.push('"');
                            chars.next();
                        } else {
                            break &quoted[i + 1..];
                        }
                    }
                    Some((_, c)) => value.push(c),
                }
            };
            fields.push(Cow::Owned(value));
            match after.strip_prefix(',') {
                Some(next) => rest = next,
                None if after.is_empty() => return Ok(fields),
                None => return Err(format!("unexpected {after:?} after a closing quote")),
            }
        } else {
            match rest.find(',') {
                Some(comma) => {
                    fields.push(Cow::Borrowed(&rest[..comma]));
                    rest = &rest[comma + 1..];
                }
                None => {
                    fields.push(Cow::Borrowed(rest));
                    return Ok(fields);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(line: &str) -> Vec<String> {
        split_fields(line)
            .expect("line splits")
            .into_iter()
            .map(Cow::into_owned)
            .collect()
    }

    #[test]
    fn quoted_fields_keep_commas_and_doubled_quotes() {
        assert_eq!(
            fields(r#"1.0.0.0,1.0.0.255,13335,"Cloudflare, Inc.""#),
            ["1.0.0.0", "1.0.0.255", "13335", "Cloudflare, Inc."]
        );
        assert_eq!(
            fields(r#"2.26.200.0,2.26.215.255,201907,"LLC ""SPUTNIK""""#),
            ["2.26.200.0", "2.26.215.255", "201907", r#"LLC "SPUTNIK""#]
        );
        assert_eq!(fields(r#""a",,"""#), ["a", "", ""]);
    }

    #[test]
    fn broken_quoting_is_an_error() {
        assert!(split_fields(r#"1.0.0.0,1.0.0.255,1,"open"#).is_err());
        assert!(split_fields(r#"1.0.0.0,1.0.0.255,1,"closed"junk"#).is_err());
    }

    fn parse(text: &str) -> Result<AsnCsv, GeoError> {
        AsnCsv::parse(Path::new("test.csv"), text.as_bytes())
    }

    fn asn_of(csv: &AsnCsv, ip: &str) -> Option<u32> {
        csv.lookup(ip.parse().expect("test address"))
            .and_then(|n| n.asn)
    }

    #[test]
    fn lookups_respect_inclusive_bounds_in_both_families() {
        let csv = parse(
            "10.0.0.0,10.0.0.255,1,One\r\n\
             10.0.2.0,10.0.2.0,2,Two\n\
             \n\
             2001:db8::,2001:db8::ffff,3,Three\n",
        )
        .expect("valid csv");
        assert_eq!(csv.len(), 3);
        assert_eq!(asn_of(&csv, "9.255.255.255"), None);
        assert_eq!(asn_of(&csv, "10.0.0.0"), Some(1));
        assert_eq!(asn_of(&csv, "10.0.0.255"), Some(1));
        assert_eq!(asn_of(&csv, "10.0.1.0"), None);
        assert_eq!(asn_of(&csv, "10.0.2.0"), Some(2));
        assert_eq!(asn_of(&csv, "10.0.2.1"), None);
        assert_eq!(asn_of(&csv, "2001:db8::ffff"), Some(3));
        assert_eq!(asn_of(&csv, "2001:db8::1:0"), None);
        assert_eq!(asn_of(&csv, "::1"), None);
    }

    #[test]
    fn unsorted_and_overlapping_ranges_still_answer() {
        // The shape of the one overlap in the real file: 214.95.0.0–215.0.255.255 then
        // 215.0.0.0–215.1.3.255.
        let csv = parse(
            "215.0.0.0,215.1.3.255,721,Later\n\
             214.95.0.0,215.0.255.255,749,Earlier\n\
             214.96.0.0,214.96.0.255,9,Inside\n",
        )
        .expect("valid csv");
        assert_eq!(asn_of(&csv, "214.95.0.1"), Some(749));
        assert_eq!(asn_of(&csv, "214.96.0.1"), Some(749));
        assert_eq!(asn_of(&csv, "215.0.0.1"), Some(749));
        assert_eq!(asn_of(&csv, "215.1.0.1"), Some(721));
        assert_eq!(asn_of(&csv, "215.1.4.0"), None);
    }

    #[test]
    fn organisations_are_shared_and_empty_ones_are_null() {
        let csv = parse(
            "10.0.0.0,10.0.0.255,64500,Same Org\n\
             10.0.1.0,10.0.1.255,64500,Same Org\n\
             10.0.2.0,10.0.2.255,0,\n",
        )
        .expect("valid csv");
        assert_eq!(csv.orgs.len(), 1);
        let empty = csv
            .lookup("10.0.2.1".parse().expect("ip"))
            .expect("covered");
        assert_eq!(empty, Network::default());
    }

    #[test]
    fn a_header_line_is_skipped() {
        let csv = parse(
            "ip_range_start,ip_range_end,autonomous_system_number,autonomous_system_organization\n\
             10.0.0.0,10.0.0.255,1,One\n",
        )
        .expect("valid csv");
        assert_eq!(csv.len(), 1);
    }

    fn error_line(text: &str) -> (usize, String) {
        match parse(text) {
            Err(GeoError::Csv { line, message, .. }) => (line, message),
            Err(other) => panic!("expected a CSV error, got {other}"),
            Ok(_) => panic!("expected a CSV error for {text:?}"),
        }
    }

    #[test]
    fn bad_lines_are_reported_with_their_number() {
        let good = "10.0.0.0,10.0.0.255,1,One\n";
        let cases = [
            ("10.0.1.0,10.0.1.255,1\n", "expected 4 fields"),
            ("10.0.1.0,10.0.1.255,1,One,extra\n", "found 5"),
            ("10.0.1.x,10.0.1.255,1,One\n", "ip_range_start"),
            ("10.0.1.0,nope,1,One\n", "ip_range_end"),
            ("10.0.1.0,10.0.1.255,AS1,One\n", "autonomous_system_number"),
            (
                "10.0.1.0,10.0.1.255,4294967296,One\n",
                "autonomous_system_number",
            ),
            ("10.0.1.255,10.0.1.0,1,One\n", "after"),
            ("10.0.1.0,2001:db8::,1,One\n", "different IP versions"),
            ("10.0.1.0,10.0.1.255,1,\"One\n", "not closed"),
        ];
        for (bad, expected) in cases {
            let (line, message) = error_line(&format!("{good}\n{bad}"));
            assert_eq!(line, 3, "{bad:?}");
            assert!(message.contains(expected), "{bad:?}: {message}");
        }
    }

    #[test]
    fn invalid_utf8_is_reported_with_its_line() {
        let mut bytes = b"10.0.0.0,10.0.0.255,1,One\n10.0.1.0,10.0.1.255,1,".to_vec();
        bytes.push(0xff);
        match AsnCsv::parse(Path::new("bad.csv"), &bytes) {
            Err(GeoError::Csv { line, message, .. }) => {
                assert_eq!(line, 2);
                assert!(message.contains("UTF-8"), "{message}");
            }
            _ => panic!("invalid UTF-8 must be an error"),
        }
    }

    #[test]
    fn a_file_without_ranges_is_empty() {
        assert!(matches!(parse("\n\n"), Err(GeoError::Empty { .. })));
        assert!(matches!(parse(""), Err(GeoError::Empty { .. })));
    }
}
