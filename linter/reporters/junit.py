"""JUnit XML for GitLab's test report and Jenkins' junit step.

One test case per file and rule that found something (classname: the
file, name: the rule), failed when a finding is at or above the run's
fail level; a file without findings is one passing test case, so a clean
run still shows what was checked. Text from the input is XML-escaped by
ElementTree, and characters XML 1.0 cannot hold (ANSI escapes and other
controls) are shown as ``\\xNN``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from linter.reporters._common import TOOL_NAME, file_paths

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def _line(d) -> str:
    return f"{d.path}:{d.line}:{d.column}: {d.severity}: {d.message} [{d.rule_id}]"


def render(result, options) -> str:
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for d in result.diagnostics:
        groups[(d.path, d.rule_id)].append(d)
    cases: list[ET.Element] = []
    failures = 0
    for path in file_paths(result):
        rules = sorted(rule_id for (p, rule_id) in groups if p == path)
        if not rules:
            case = ET.Element("testcase", classname=xml_text(path), name="headlamp-lint", file=xml_text(path))
            cases.append(case)
            continue
        for rule_id in rules:
            found = groups[(path, rule_id)]
            first = found[0]
            case = ET.Element(
                "testcase",
                classname=xml_text(path),
                name=f"{rule_id} {first.rule_name}",
                file=xml_text(path),
                line=str(first.line),
            )
            body = xml_text("".join(_line(d) + "\n" for d in found))
            failing = [d for d in found if d.severity >= options.fail_level]
            if failing:
                failures += 1
                count = len(found)
                element = ET.SubElement(
                    case,
                    "failure",
                    message=xml_text(f"{count} finding{'s' if count != 1 else ''}: {first.message}"),
                    type=rule_id,
                )
                element.text = body
            else:
                ET.SubElement(case, "system-out").text = body
            cases.append(case)
    errors = len(result.errors)
    suite = ET.Element(
        "testsuite",
        name=TOOL_NAME,
        tests=str(len(cases) + errors),
        failures=str(failures),
        errors=str(errors),
        skipped="0",
    )
    suite.extend(cases)
    for error in result.errors:
        case = ET.SubElement(suite, "testcase", classname=TOOL_NAME, name="input")
        ET.SubElement(case, "error", message=xml_text(error), type="input-error")
    root = ET.Element(
        "testsuites", name=TOOL_NAME, tests=suite.get("tests", "0"), failures=str(failures), errors=str(errors)
    )
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
