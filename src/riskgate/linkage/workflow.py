"""The workflows of near-duplicate clusters (see core.workflow).

A member (a record in a cluster) is suggested by the system, then confirmed by an officer or
removed (split off): `confirm` and `split` are the officer's two decisions. The cluster's status
follows its members: split when fewer than two remain, confirmed when all of them are, else
suggested again (a confirmed cluster that gains a member needs another look; a split cluster
whose last member matches a new record is suggested anew).
"""

from __future__ import annotations

from riskgate.core.i18n import N_
from riskgate.core.workflow import Workflow
from riskgate.linkage.enums import ClusterStatus as C
from riskgate.linkage.enums import MemberState as M
from riskgate.linkage.models import RecordClusterMember

OBJECT = N_("record cluster")
OBJECT_TYPE = "record_cluster"
MEMBER_OBJECT_TYPE = "record_cluster_member"

CLUSTER_FLOW: Workflow[C] = Workflow(
    object_name=OBJECT,
    audit_type=OBJECT_TYPE,
    transitions={
        C.suggested: {C.confirmed, C.split},
        C.confirmed: {C.suggested, C.split},
        C.split: {C.suggested},
    },
)

MEMBER_FLOW: Workflow[M] = Workflow(
    object_name=N_("record in a cluster"),
    audit_type=MEMBER_OBJECT_TYPE,
    status_field="state",
    transitions={
        M.suggested: {M.confirmed, M.removed},
        M.confirmed: {M.removed},
        M.removed: set(),
    },
    events={
        (M.suggested, "confirm"): M.confirmed,
        (M.suggested, "split"): M.removed,
        (M.confirmed, "split"): M.removed,
    },
)

# The audit action of each decision on a member.
MEMBER_ACTIONS = {"confirm": "cluster.member_confirmed", "split": "cluster.member_removed"}


def decidable(member: RecordClusterMember, decision: str) -> bool:
    """Whether the officer's decision ("confirm", "split") applies to the member now (members
    already confirmed or removed are left as they are)."""
    return (MEMBER_FLOW.state_of(member), decision) in MEMBER_FLOW.events
