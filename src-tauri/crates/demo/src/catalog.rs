//! The demo store's catalog: a camera and creator-gear shop with a software
//! subscription on the side, so both e-commerce and trial journeys from the
//! seed article have data. Fixed, so every demo workspace sells the same things.

/// A category, what sells with it, and its products as (title, brand, price in cents).
pub(super) struct Category {
    pub slug: &'static str,
    pub name: &'static str,
    /// Categories people browse or buy alongside this one.
    pub complements: &'static [&'static str],
    /// How likely a shopper starts in this category (relative weight).
    pub weight: u32,
    pub products: &'static [(&'static str, &'static str, i64)],
}

pub(super) const SOFTWARE: &str = "software";

pub(super) const CATEGORIES: &[Category] = &[
    Category {
        slug: "cameras",
        name: "Cameras",
        complements: &["lenses", "memory-cards", "bags", "tripods"],
        weight: 22,
        products: &[
            (
                "Kestrel K7 Full-Frame Mirrorless Camera",
                "Kestrel",
                249_900,
            ),
            ("Kestrel K5 Mirrorless Camera Body", "Kestrel", 149_900),
            ("Northlight Z9 Pro Cinema Camera", "Northlight", 389_900),
            (
                "Northlight Z50 Compact Mirrorless Kit",
                "Northlight",
                99_900,
            ),
            ("Vantage X100 Premium Compact Camera", "Vantage", 139_900),
            ("Vantage Instax Retro Instant Camera", "Vantage", 12_900),
            ("Orbit Action 4K Camera", "Orbit", 34_900),
            ("Kestrel K3 Vlogging Camera", "Kestrel", 74_900),
            ("Luxe Leica-Style Rangefinder M11", "Luxe", 899_500),
        ],
    },
    Category {
        slug: "lenses",
        name: "Lenses",
        complements: &["cameras", "filters", "bags"],
        weight: 14,
        products: &[
            ("Kestrel 24-70mm f/2.8 Zoom Lens", "Kestrel", 189_900),
            ("Kestrel 50mm f/1.8 Prime Lens", "Kestrel", 24_900),
            ("Northlight 70-200mm f/4 Telephoto", "Northlight", 129_900),
            ("Northlight 35mm f/1.4 Prime", "Northlight", 84_900),
            ("Sigmar 16mm f/1.4 Wide Prime", "Sigmar", 39_900),
            ("Sigmar 100-400mm Sports Zoom", "Sigmar", 94_900),
            ("Sigmar 90mm f/2.8 Macro", "Sigmar", 59_900),
        ],
    },
    Category {
        slug: "tripods",
        name: "Tripods & Gimbals",
        complements: &["cameras", "lighting"],
        weight: 8,
        products: &[
            ("Atlas Carbon Travel Tripod", "Atlas", 27_900),
            ("Atlas Aluminium Tripod with Ball Head", "Atlas", 12_900),
            ("SteadyPro 3-Axis Gimbal", "SteadyPro", 34_900),
            ("SteadyPro Mini Phone Gimbal", "SteadyPro", 9_900),
            ("Atlas Tabletop Mini Tripod", "Atlas", 3_900),
        ],
    },
    Category {
        slug: "lighting",
        name: "Lighting",
        complements: &["tripods", "audio"],
        weight: 7,
        products: &[
            ("Glow 60W Bi-Colour LED Panel", "Glow", 18_900),
            ("Glow Ring Light 18\"", "Glow", 7_900),
            ("Glow Pocket RGB Light", "Glow", 4_900),
            ("Glow 300D Studio Light Kit", "Glow", 54_900),
        ],
    },
    Category {
        slug: "audio",
        name: "Audio",
        complements: &["cameras", "lighting"],
        weight: 8,
        products: &[
            ("Echo Wireless Lavalier Mic Kit", "Echo", 24_900),
            ("Echo Shotgun Microphone", "Echo", 17_900),
            ("Echo USB Podcast Microphone", "Echo", 12_900),
            ("Echo Studio Monitor Headphones", "Echo", 14_900),
        ],
    },
    Category {
        slug: "drones",
        name: "Drones",
        complements: &["memory-cards", "bags"],
        weight: 7,
        products: &[
            ("Skyward Air 3 Drone Fly More Combo", "Skyward", 129_900),
            ("Skyward Mini 4 Drone", "Skyward", 75_900),
            ("Skyward FPV Racing Drone", "Skyward", 99_900),
        ],
    },
    Category {
        slug: "bags",
        name: "Bags & Cases",
        complements: &["cameras", "lenses"],
        weight: 6,
        products: &[
            ("Nomad 30L Camera Backpack", "Nomad", 21_900),
            ("Nomad Sling Bag 8L", "Nomad", 9_900),
            ("Nomad Hard Case for Drones", "Nomad", 14_900),
            ("Nomad Lens Pouch Set", "Nomad", 3_900),
        ],
    },
    Category {
        slug: "memory-cards",
        name: "Memory & Storage",
        complements: &["cameras", "drones"],
        weight: 5,
        products: &[
            ("Vault 128GB V90 SD Card", "Vault", 8_900),
            ("Vault 256GB CFexpress Type B", "Vault", 27_900),
            ("Vault 2TB Portable SSD", "Vault", 19_900),
            ("Vault 64GB microSD 2-Pack", "Vault", 2_900),
        ],
    },
    Category {
        slug: "filters",
        name: "Filters",
        complements: &["lenses"],
        weight: 3,
        products: &[
            ("Clarity Variable ND Filter 77mm", "Clarity", 11_900),
            ("Clarity Circular Polariser 82mm", "Clarity", 8_900),
            ("Clarity UV Protector 67mm", "Clarity", 2_900),
        ],
    },
    Category {
        slug: SOFTWARE,
        name: "Software",
        complements: &["cameras"],
        weight: 0,
        products: &[
            ("Lumen Studio Pro — Annual Plan", "Lumen", 11_900),
            ("Lumen Studio — Monthly Plan", "Lumen", 1_499),
        ],
    },
];

/// Products out of stock today, by position in the flattened catalog; real
/// feeds always have some, and creatives must leave them out.
pub(super) const OUT_OF_STOCK: &[usize] = &[4, 13, 26, 38];

pub(super) fn slugify(title: &str) -> String {
    let mut slug = String::with_capacity(title.len());
    let mut dash = false;
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
            dash = false;
        } else if !dash && !slug.is_empty() {
            slug.push('-');
            dash = true;
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_url_safe() {
        assert_eq!(slugify("Glow Ring Light 18\""), "glow-ring-light-18");
        assert_eq!(
            slugify("Lumen Studio Pro — Annual Plan"),
            "lumen-studio-pro-annual-plan"
        );
    }

    #[test]
    fn complements_name_real_categories() {
        for c in CATEGORIES {
            for comp in c.complements {
                assert!(CATEGORIES.iter().any(|o| o.slug == *comp), "{comp}");
            }
        }
    }
}
