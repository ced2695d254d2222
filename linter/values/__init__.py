"""Headlamp Helm values files: chart data, Helm-style merging, rendering into positioned nodes.

``linter.model.from_values`` is the entry point the engine uses; the
modules here are its parts: ``chart`` (packaged chart defaults per chart
version), ``merge`` (effective values with the node that set each one),
``render`` (what the chart renders, as nodes located at the values keys),
``detect`` (is a file Headlamp values; which chart version) and ``check``
(HL002 unknown keys, HL003 schema violations).
"""
