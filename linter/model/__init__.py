"""The normalized model that rules read: objects, workloads and Headlamp installations."""

from __future__ import annotations

from dataclasses import dataclass, field

from linter.model.headlamp import Installation
from linter.model.objects import Inventory
from linter.model.rbac import ServiceAccount
from linter.model.workloads import Workload


@dataclass
class Model:
    inventory: Inventory = field(default_factory=Inventory)
    workloads: list[Workload] = field(default_factory=list)
    installations: list[Installation] = field(default_factory=list)
    service_accounts: list[ServiceAccount] = field(default_factory=list)

    def service_account(self, namespace: str, name: str) -> ServiceAccount | None:
        for account in self.service_accounts:
            if account.name == name and account.namespace == namespace:
                return account
        return None
