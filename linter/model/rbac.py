"""Identity and RBAC objects: ServiceAccounts (the RBAC graph builds on these)."""

from __future__ import annotations

from dataclasses import dataclass

from linter.located import Located
from linter.model.objects import K8sObject


@dataclass(frozen=True)
class ServiceAccount:
    obj: K8sObject
    automount_service_account_token: Located

    @property
    def name(self) -> str:
        return self.obj.name

    @property
    def namespace(self) -> str:
        return self.obj.namespace or "default"
