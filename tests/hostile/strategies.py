"""Hypothesis strategies for the fuzz tests and ``scripts/fuzz.py``.

Three sources of input: Kubernetes-shaped documents (the fields the model
reads, with values of every shape), random YAML-ish text, and mutations of
real files (byte flips, truncation, insertions, indentation changes).
"""

from __future__ import annotations

import io
import json

from hypothesis import strategies as st

KINDS = ["Deployment", "Pod", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicaSet", "PodTemplate",
         "ServiceAccount", "List", "ConfigMap", "Service"]
API_VERSIONS = ["v1", "apps/v1", "batch/v1", "extensions/v1beta1", "policy/v1beta1"]
KEYS = [
    "apiVersion", "kind", "metadata", "name", "namespace", "labels", "annotations", "spec", "template",
    "jobTemplate", "items", "containers", "initContainers", "ephemeralContainers", "securityContext",
    "runAsNonRoot", "runAsUser", "runAsGroup", "fsGroup", "supplementalGroups", "sysctls", "privileged",
    "allowPrivilegeEscalation", "readOnlyRootFilesystem", "capabilities", "add", "drop", "seccompProfile",
    "appArmorProfile", "type", "procMount", "hostNetwork", "hostPID", "hostIPC", "hostUsers", "volumes",
    "hostPath", "path", "emptyDir", "image", "command", "args", "env", "value", "valueFrom", "secretKeyRef",
    "envFrom", "secretRef", "prefix", "ports", "containerPort", "hostPort", "volumeMounts", "mountPath",
    "readOnly", "resources", "limits", "requests", "cpu", "memory", "serviceAccountName",
    "automountServiceAccountToken", "<<", "1", "true", "",
]
TEXT = st.text(alphabet=list("abcAZ09 -_.:/@{}[]*&!|>'\"#%\t\n\x1b\u202eé"), max_size=12) | st.sampled_from(["{{ x }}", "ALL"])
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    TEXT,
    st.sampled_from(["ALL", "RuntimeDefault", "Unconfined", "ghcr.io/headlamp-k8s/headlamp:v0.30.0", "SYS_ADMIN",
                     "0", "yes", "~", "1Gi", "500m"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.sampled_from(KEYS) | TEXT, children, max_size=5),
    max_leaves=25,
)


def _maybe(strategy):
    return st.one_of(strategy, VALUES)


CONTAINER = st.fixed_dictionaries(
    {"name": _maybe(st.sampled_from(["headlamp", "sidecar"]))},
    optional={
        "image": _maybe(st.sampled_from(["ghcr.io/headlamp-k8s/headlamp:v0.30.0", "busybox"])),
        "securityContext": _maybe(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=6)),
        "resources": VALUES, "env": VALUES, "ports": VALUES, "volumeMounts": VALUES, "args": VALUES,
    },
)
POD_SPEC = st.fixed_dictionaries(
    {},
    optional={
        "containers": _maybe(st.lists(_maybe(CONTAINER), max_size=3)),
        "initContainers": _maybe(st.lists(CONTAINER, max_size=2)),
        "securityContext": VALUES, "volumes": VALUES, "hostNetwork": VALUES, "hostPID": VALUES,
        "hostUsers": VALUES, "automountServiceAccountToken": VALUES, "serviceAccountName": VALUES,
    },
)
TEMPLATE = st.fixed_dictionaries({"spec": _maybe(POD_SPEC)}, optional={"metadata": VALUES})
OBJECT = st.fixed_dictionaries(
    {"apiVersion": _maybe(st.sampled_from(API_VERSIONS)), "kind": _maybe(st.sampled_from(KINDS))},
    optional={
        "metadata": _maybe(st.fixed_dictionaries({"name": TEXT}, optional={"labels": VALUES, "annotations": VALUES})),
        "spec": _maybe(st.one_of(POD_SPEC, st.fixed_dictionaries({"template": _maybe(TEMPLATE)}),
                                 st.fixed_dictionaries({"jobTemplate": st.fixed_dictionaries(
                                     {"spec": st.fixed_dictionaries({"template": TEMPLATE})})}))),
        "template": TEMPLATE,
        "items": VALUES,
    },
)


def _dump_yaml(documents: list) -> str:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    out = io.StringIO()
    yaml.dump_all(documents, out)
    return out.getvalue()


@st.composite
def kubernetes_files(draw) -> bytes:
    """One to three Kubernetes-shaped documents, as block YAML, flow JSON or indented JSON."""
    documents = draw(st.lists(OBJECT, min_size=1, max_size=3))
    style = draw(st.sampled_from(["yaml", "json", "json-indented"]))
    if style == "yaml":
        return _dump_yaml(documents).encode("utf-8")
    indent = 2 if style == "json-indented" else None
    return "\n---\n".join(json.dumps(doc, indent=indent) for doc in documents).encode("utf-8")


YAML_PIECES = [
    "apiVersion: v1\n", "kind: Pod\n", "spec:\n", "  containers:\n", "  - name: x\n", "    securityContext:\n",
    "      privileged: true\n", "---\n", "...\n", "- ", "? ", ": ", "&a ", "*a", "<<: ", "!!python/name:x ",
    "!custom ", "{", "}", "[", "]", ", ", "'", '"', "|\n", ">-\n", "#", "\t", "  ", "\n", "%YAML 1.1\n",
    "%TAG ! tag:x,2000:\n", "{{ .Values.x }}", "\x00", "\ufeff", "é", "\x1b[2J", "0x1F", "1e400", "9" * 30,
    "~", "null", "yes", "a", "b", "k: v\n",
]


@st.composite
def random_yaml(draw) -> bytes:
    """Text made of YAML's structural pieces, in any order: mostly invalid, sometimes not."""
    pieces = draw(st.lists(st.sampled_from(YAML_PIECES), max_size=60))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-16"]))
    return "".join(pieces).encode(encoding, errors="surrogatepass")


@st.composite
def mutated(draw, seeds: list[bytes]) -> bytes:
    """A seed file after one to five mutations."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 5))):
        op = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "indent", "tab", "duplicate"]))
        size = len(data)
        at = draw(st.integers(0, max(size - 1, 0)))
        if op == "flip" and size:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "truncate":
            del data[at:]
        elif op == "insert":
            data[at:at] = draw(st.sampled_from([b"\x00", b"\xff", b"\t", b"  ", b"\n", b"- ", b": ", b"&x ", b"*x",
                                                b"{", b"[", b"!!python/name:os.system ", b"<<: *x\n", b"---\n"]))
        elif op == "delete":
            del data[at:at + draw(st.integers(1, 40))]
        elif op in ("indent", "tab", "duplicate"):
            lines = bytes(data).split(b"\n")
            index = draw(st.integers(0, len(lines) - 1))
            if op == "indent":
                lines[index] = b" " * draw(st.integers(1, 4)) + lines[index]
            elif op == "tab":
                lines[index] = b"\t" + lines[index].lstrip(b" ")
            else:
                lines.insert(index, lines[index])
            data = bytearray(b"\n".join(lines))
    return bytes(data)
