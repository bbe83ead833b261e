//! Stage 5: system information from `/proc`-style text.
//! Run only these with `cargo test stage5`.

use network_scanner::sysinfo::{
    parse_cpu_count, parse_hostname, parse_meminfo, parse_os_release, read_system_info,
};
use network_scanner::{Memory, OsRelease, SystemInfo};

const MEMINFO: &str = "\
MemTotal:       16318044 kB
MemFree:         1391260 kB
MemAvailable:   11254904 kB
Buffers:          612344 kB
Cached:          8963512 kB
SwapCached:            0 kB
HugePages_Total:       0
Hugepagesize:       2048 kB
";

const CPUINFO_X86: &str = "\
processor\t: 0
vendor_id\t: GenuineIntel
model name\t: Intel(R) Core(TM) i7-8550U CPU @ 1.80GHz
flags\t\t: fpu vme de pse tsc msr pae mce

processor\t: 1
vendor_id\t: GenuineIntel
model name\t: Intel(R) Core(TM) i7-8550U CPU @ 1.80GHz

processor\t: 2
vendor_id\t: GenuineIntel

processor\t: 3
vendor_id\t: GenuineIntel
";

const CPUINFO_ARM32: &str = "\
Processor\t: ARMv7 Processor rev 4 (v7l)
processor\t: 0
BogoMIPS\t: 38.40

processor\t: 1
BogoMIPS\t: 38.40

Hardware\t: BCM2835
";

const OS_RELEASE_UBUNTU: &str = r#"PRETTY_NAME="Ubuntu 22.04.3 LTS"
NAME="Ubuntu"
VERSION_ID="22.04"
VERSION="22.04.3 LTS (Jammy Jellyfish)"
VERSION_CODENAME=jammy
ID=ubuntu
ID_LIKE=debian
HOME_URL="https://www.ubuntu.com/"
"#;

const OS_RELEASE_ARCH: &str = r#"NAME="Arch Linux"
PRETTY_NAME="Arch Linux"
ID=arch
BUILD_ID=rolling
ANSI_COLOR="38;2;23;147;209"
"#;

#[test]
fn stage5_meminfo_in_bytes() {
    assert_eq!(
        parse_meminfo(MEMINFO),
        Some(Memory {
            total_bytes: 16_318_044 * 1024,
            available_bytes: 11_254_904 * 1024
        })
    );
}

#[test]
fn stage5_meminfo_without_memavailable_falls_back() {
    let old_kernel = "MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 20 kB\nCached: 300 kB\n";
    assert_eq!(
        parse_meminfo(old_kernel),
        Some(Memory {
            total_bytes: 1000 * 1024,
            available_bytes: 420 * 1024
        })
    );
    // Missing parts of the fallback count as zero.
    assert_eq!(
        parse_meminfo("MemTotal: 1000 kB\nMemFree: 100 kB\n"),
        Some(Memory {
            total_bytes: 1000 * 1024,
            available_bytes: 100 * 1024
        })
    );
}

#[test]
fn stage5_meminfo_needs_memtotal() {
    assert_eq!(parse_meminfo(""), None);
    assert_eq!(
        parse_meminfo("MemFree: 100 kB\nMemAvailable: 200 kB\n"),
        None
    );
    // An unparsable value is ignored, so this MemTotal is missing too.
    assert_eq!(
        parse_meminfo("MemTotal: lots kB\nMemAvailable: 200 kB\n"),
        None
    );
}

#[test]
fn stage5_cpu_count() {
    assert_eq!(parse_cpu_count(CPUINFO_X86), 4);
    // The capitalised `Processor` model line of 32-bit ARM is not a CPU.
    assert_eq!(parse_cpu_count(CPUINFO_ARM32), 2);
    assert_eq!(parse_cpu_count(""), 0);
    assert_eq!(parse_cpu_count("vendor_id : x\nprocessors: 4\n"), 0);
}

#[test]
fn stage5_os_release_prefers_version_id() {
    assert_eq!(
        parse_os_release(OS_RELEASE_UBUNTU),
        OsRelease {
            name: "Ubuntu".into(),
            version: Some("22.04".into())
        }
    );
}

#[test]
fn stage5_os_release_fallbacks() {
    // Rolling release: no version at all.
    assert_eq!(
        parse_os_release(OS_RELEASE_ARCH),
        OsRelease {
            name: "Arch Linux".into(),
            version: None
        }
    );
    // VERSION is used when VERSION_ID is missing.
    assert_eq!(
        parse_os_release("NAME=Foo\nVERSION=\"7 (Seven)\"\n"),
        OsRelease {
            name: "Foo".into(),
            version: Some("7 (Seven)".into())
        }
    );
    // NAME defaults to "Linux".
    assert_eq!(
        parse_os_release(""),
        OsRelease {
            name: "Linux".into(),
            version: None
        }
    );
}

#[test]
fn stage5_os_release_syntax() {
    let text = concat!(
        "# a comment with NAME=Wrong\n",
        "  NAME = 'Single Quoted'  \n",
        "\n",
        "garbage line\n",
        "VERSION_ID=\"1\"\n",
        "VERSION_ID=2.5\n",
        "ID=\"half-quoted\n",
    );
    assert_eq!(
        parse_os_release(text),
        OsRelease {
            name: "Single Quoted".into(),
            version: Some("2.5".into())
        }
    );
    // Only a matching pair of quotes is removed.
    assert_eq!(parse_os_release("NAME=\"Mixed'\n").name, "\"Mixed'");
}

#[test]
fn stage5_hostname() {
    assert_eq!(parse_hostname("web-01\n").as_deref(), Some("web-01"));
    assert_eq!(
        parse_hostname("# managed by cloud-init\n\n  db-02  \nignored\n").as_deref(),
        Some("db-02")
    );
    assert_eq!(parse_hostname(""), None);
    assert_eq!(parse_hostname("\n   \n# only a comment\n"), None);
}

#[test]
fn stage5_system_info_from_sources() {
    let info = SystemInfo::from_sources("web-01\n", OS_RELEASE_UBUNTU, CPUINFO_X86, MEMINFO);
    assert_eq!(
        info,
        SystemInfo {
            hostname: Some("web-01".into()),
            os: OsRelease {
                name: "Ubuntu".into(),
                version: Some("22.04".into())
            },
            cpu_count: 4,
            memory: Some(Memory {
                total_bytes: 16_318_044 * 1024,
                available_bytes: 11_254_904 * 1024
            }),
        }
    );

    // No fallbacks in from_sources: empty text gives empty fields.
    let empty = SystemInfo::from_sources("", "", "", "");
    assert_eq!(
        empty,
        SystemInfo {
            hostname: None,
            os: OsRelease {
                name: "Linux".into(),
                version: None
            },
            cpu_count: 0,
            memory: None,
        }
    );
}

#[cfg(target_os = "linux")]
#[test]
fn stage5_reads_this_linux_machine() {
    let info = read_system_info();
    assert!(info.cpu_count >= 1);
    let memory = info.memory.expect("/proc/meminfo has MemTotal");
    assert!(memory.total_bytes > 0);
    assert!(memory.available_bytes <= memory.total_bytes);
    assert!(info.hostname.is_some());
}
