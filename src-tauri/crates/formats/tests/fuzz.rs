//! No bytes make the sniffer or any parser panic, and the row-count invariant holds
//! whatever they read.

use proptest::prelude::*;
use rebound_formats::*;
use std::io::Cursor;
use std::ops::ControlFlow;

const FORMATS: [Format; 21] = Format::ALL;

fn check(bytes: &[u8], format: Option<Format>) {
    let opts = ParseOptions {
        file_name: "fuzz.csv".into(),
        format,
        ..ParseOptions::default()
    };
    if let Ok(s) = parse(Cursor::new(bytes.to_vec()), &opts, |_| {
        ControlFlow::Continue(())
    }) {
        assert_eq!(
            s.counts.rows_read,
            s.counts.rows_ok + s.counts.rows_rejected
        );
    }
}

/// Text shaped like the real files, so the parsers get past their header checks.
fn shaped() -> impl Strategy<Value = Vec<u8>> {
    let heads = prop::sample::select(vec![
        "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session\n",
        "timestamp,visitorid,event,itemid,transactionid\n",
        "# ----\n# Events\n# Start date: 20250101\n# End date: 20250102\nEvent name,Event count\n",
        "# ----\n# P\n# E-T\n# 20250101-20250102\n# ----\n\nPage,Users\n",
        "Campaign report\nAll time\nCampaign,Impr.,Clicks,Cost,Currency code,CTR,Search impr. share\n",
        "\"Campaign name\",Day,Age,Gender,\"Amount spent (USD)\",Impressions,Reach,\"Link clicks\",\"Reporting starts\",\"Reporting ends\"\n",
        "Top queries,Clicks,Impressions,CTR,Position\n",
        "Name,Email,Financial Status,Currency,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price\n",
        "id\ttitle\tprice\tavailability\tshipping(country:price)\n",
        "Email,Phone,Email consent,SMS opt-in\n",
        "userid,version,sum_gamerounds,retention_1\n",
        "Campaign Name,Date,Spend [USD],# of Impressions\n",
        "Campaign\tCampaign Type\tNetworks\tBudget\n",
        "{\"event_timestamp\":\"1\",\"event_name\":\"x\"}\n",
    ]);
    let cells = prop::collection::vec(
        prop::sample::select(vec![
            ",",
            "\t",
            "\n",
            "\r\n",
            "\"",
            "#",
            "1,234",
            " --",
            "< 10%",
            "2025-01-01",
            "1.08.2019",
            "12.5 USD",
            "TRUE",
            "",
            "99999999999999999999",
            "-",
            "Total: Campaigns",
            "Grand total",
            "{\"a\":1}",
            "é",
            "\u{feff}",
            "#1001",
            "2019-10-01 00:00:00 UTC",
            "1433221332117",
        ]),
        0..60,
    );
    (heads, cells).prop_map(|(h, c)| {
        let mut v = h.as_bytes().to_vec();
        v.extend(c.concat().into_bytes());
        v
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn sniff_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        let d = sniff(&bytes);
        prop_assert!((0.0..=1.0).contains(&d.confidence));
    }

    #[test]
    fn every_parser_survives_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048), i in 0..FORMATS.len()) {
        check(&bytes, Some(FORMATS[i]));
        check(&bytes, None);
    }

    #[test]
    fn every_parser_survives_shaped_text(bytes in shaped(), i in 0..FORMATS.len()) {
        check(&bytes, Some(FORMATS[i]));
        check(&bytes, None);
        let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(String::from_utf8_lossy(&bytes).encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
        check(&utf16, None);
    }

    #[test]
    fn xlsx_reader_survives_arbitrary_bytes(tail in prop::collection::vec(any::<u8>(), 0..1024)) {
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.extend(tail);
        let opts = ParseOptions { file_name: "fuzz.xlsx".into(), ..ParseOptions::default() };
        let _ = parse_xlsx(Cursor::new(bytes), &opts, |_| ControlFlow::Continue(()));
    }

    #[test]
    fn money_parsing_never_panics(text in "\\PC{0,30}") {
        let _ = values::parse_money(&text, Some("USD"));
        let _ = values::parse_percent(&text);
        let _ = values::parse_count(&text);
        let _ = DateRange::parse(&text);
        let _ = values::parse_timestamp(&text, true);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// The hand-written fast path for timestamps never panics, whatever the
    /// text, and agrees with itself under surrounding spaces.
    #[test]
    fn timestamps_never_panic(
        text in "[0-9 :T.Z+\\-UTCa-z]{0,40}",
        date in "[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?( UTC|Z|[+-][0-9]{2}:?[0-9]{2}| [+-][0-9]{4})?",
        utc in any::<bool>(),
    ) {
        let _ = rebound_formats::values::parse_timestamp(&text, utc);
        let a = rebound_formats::values::parse_timestamp(&date, utc);
        let b = rebound_formats::values::parse_timestamp(&format!("  {date} "), utc);
        prop_assert_eq!(a.ok(), b.ok());
    }
}
