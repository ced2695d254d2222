"""Version parsing from image tags and semantic comparison."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linter.versions import Version, image_version

DIGEST = "sha256:" + "0123456789abcdef" * 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("v0.45.0", Version(0, 45, 0)),
        ("0.45.0", Version(0, 45, 0)),
        ("v0.45", Version(0, 45, 0)),
        ("v0.45.0-rc1", Version(0, 45, 0, "rc1")),
        ("0.3.0-beta", Version(0, 3, 0, "beta")),
        ("1.2.3+build.5", Version(1, 2, 3)),
        (" v1.2.3 ", Version(1, 2, 3)),
    ],
)
def test_parse_versions(text, expected):
    assert Version.parse(text) == expected


@pytest.mark.parametrize("text", ["latest", "main", "lts-alpine", "18-alpine", "", None, "v", "0", "v1", "x1.2.3",
                                  "1.2.3.4", DIGEST])
def test_non_versions_are_none(text):
    assert Version.parse(text) is None


def test_ordering_is_semantic_not_textual():
    v = Version.parse
    assert v("0.9.0") < v("0.10.0") < v("0.45.0")
    assert v("v0.45.0-rc1") < v("0.45.0") < v("0.45.1")
    assert v("0.3.0-beta") < v("0.3.0-beta1") < v("0.3.0")
    assert v("1.0.0-beta.2") < v("1.0.0-beta.10")  # numeric identifiers compare as numbers
    assert v("1.0.0-1") < v("1.0.0-alpha")  # numeric identifiers sort before alphanumeric ones
    assert v("1.0.0-alpha") < v("1.0.0-alpha.1")
    assert v("v0.38.0") <= v("0.38.0") and v("0.38.0") == v("v0.38.0")
    assert max([v("0.9.0"), v("0.10.0"), v("0.45.0-rc1"), v("0.44.0")]) == v("0.45.0-rc1")
    assert str(v("v0.45.0-rc1")) == "0.45.0-rc1" and str(v("v0.45")) == "0.45.0"


@given(st.tuples(*[st.integers(0, 500)] * 3), st.tuples(*[st.integers(0, 500)] * 3))
def test_release_order_matches_numeric_tuples(a, b):
    va, vb = Version(*a), Version(*b)
    assert (va < vb) == (a < b)
    assert (va == vb) == (a == b)
    assert Version(*a, prerelease="rc1") < va


@pytest.mark.parametrize(
    ("image", "version", "tag", "digest_only", "pinned", "reason"),
    [
        ("ghcr.io/headlamp-k8s/headlamp:v0.45.0", Version(0, 45, 0), "v0.45.0", False, False, ""),
        ("ghcr.io/headlamp-k8s/headlamp:0.45.0", Version(0, 45, 0), "0.45.0", False, False, ""),
        (f"ghcr.io/headlamp-k8s/headlamp:v0.45.0@{DIGEST}", Version(0, 45, 0), "v0.45.0", False, True, ""),
        ("ghcr.io/headlamp-k8s/headlamp:v0.45.0-rc1", Version(0, 45, 0, "rc1"), "v0.45.0-rc1", False, False, ""),
        (f"ghcr.io/headlamp-k8s/headlamp@{DIGEST}", None, None, True, True, "digest alone"),
        ("ghcr.io/headlamp-k8s/headlamp:latest", None, "latest", False, False, "'latest' moves"),
        ("ghcr.io/headlamp-k8s/headlamp:main", None, "main", False, False, "'main' is not a version"),
        ("ghcr.io/headlamp-k8s/headlamp", None, None, False, False, "no tag"),
        ("localhost:5000/headlamp:v0.44.0", Version(0, 44, 0), "v0.44.0", False, False, ""),
        ("localhost:5000/headlamp", None, None, False, False, "no tag"),
        ("node:lts-alpine", None, "lts-alpine", False, False, "not a version"),
        ("busybox:1.36@sha256:abc", Version(1, 36, 0), "1.36", False, False, ""),  # a truncated digest pins nothing
    ],
)
def test_image_version(image, version, tag, digest_only, pinned, reason):
    parsed = image_version(image)
    assert parsed.version == version
    assert parsed.tag == tag
    assert parsed.digest_only is digest_only
    assert parsed.pinned_by_digest is pinned
    assert reason in parsed.reason
    assert bool(parsed.reason) is (version is None)
