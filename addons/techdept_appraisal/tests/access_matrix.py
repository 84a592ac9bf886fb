"""The declared access matrix of the suite (SPEC F3, Q1), walked both ways by
test_access_matrix.py.

MATRIX[model][role] is "OWN TEAM OTHER DEPT": one cell per scope of record,
each cell four characters for the four operations, in this order:

    c  create    r  read    w  write    d  delete (unlink)

A letter: allowed (it succeeds, and the database shows it). A "-": refused
(AccessError or UserError, and the database is as it was). A ".": the role
has no such record in that scope.

Scopes, for a role (SCOPE_PEOPLE names the person whose record it is; each
model says below what "his record" means):

    own    his own record;
    team   the record of someone in his group (his engineer, for a manager;
           a colleague, for an engineer);
    other  the record of someone in another group;
    dept   every record of the model in the department at once: a search
           finds them all, one read, write or delete acts on them all
           (records in review are left out of writes and deletes); for the
           configuration, the only scope, "c" adds a configuration record.

"Create" makes a record like the scope's person's (on his project, for his
lead, for him); "write" changes one field a user edits (see Probe in
test_access_matrix.py). A key "model@variant" tests a model again on other
records (documents on no record, on a lead, on a project; appraisals before
and after submission).

The roles are built with the fewest groups (access_common.PEOPLE): the
engineer is an after-sales engineer of the pool, on an implementation
project; the presales engineer is a salesperson too (Odoo's CRM); sales,
commerce and the general manager's office hold their group only.
"""

ROLES = (
    "engineer",
    "presales_engineer",
    "presales_manager",
    "implementation_manager",
    "om_manager",
    "supervision_manager",
    "director",
    "sales",
    "commerce",
    "gm_office",
)
OPS = ("create", "read", "write", "unlink")
SCOPES = ("own", "team", "other", "dept")

# The person whose record is in each scope, for each role (None: none).
SCOPE_PEOPLE = {
    "engineer": {
        "own": "engineer",
        "team": "engineer2",
        "other": "supervision_engineer",
    },
    "presales_engineer": {
        "own": "presales_engineer",
        "team": "presales_engineer2",
        "other": "engineer",
    },
    "presales_manager": {
        "own": "presales_manager",
        "team": "presales_engineer",
        "other": "om_manager",
    },
    "implementation_manager": {
        "own": "implementation_manager",
        # While assigned to his project, the engineer reports to him.
        "team": "engineer",
        "other": "supervision_manager",
    },
    "om_manager": {
        "own": "om_manager",
        "team": "engineer2",
        "other": "supervision_manager",
    },
    "supervision_manager": {
        "own": "supervision_manager",
        "team": "supervision_engineer",
        "other": "om_manager",
    },
    # The whole department is the director's group.
    "director": {"own": "director", "team": "om_manager", "other": None},
    "sales": {"own": "sales", "team": None, "other": "sales2"},
    # Commerce's own: what it delivers or reviews; other: a draft it does not.
    "commerce": {"own": "commerce", "team": None, "other": "engineer2"},
    "gm_office": {"own": "gm_office", "team": None, "other": None},
}

# fmt: off
MATRIX = {
    # Configuration: every user reads it, the director keeps it.
    "techdept.duty": {
        #                          own  team othr dept
        "engineer":               ".... .... .... -r--",
        "presales_engineer":      ".... .... .... -r--",
        "presales_manager":       ".... .... .... -r--",
        "implementation_manager": ".... .... .... -r--",
        "om_manager":             ".... .... .... -r--",
        "supervision_manager":    ".... .... .... -r--",
        "director":               ".... .... .... crwd",
        "sales":                  ".... .... .... -r--",
        "commerce":               ".... .... .... -r--",
        "gm_office":              ".... .... .... -r--",
    },
    # Configuration: every user reads it, the director keeps it.
    "techdept.approval.chain": {
        #                          own  team othr dept
        "engineer":               ".... .... .... -r--",
        "presales_engineer":      ".... .... .... -r--",
        "presales_manager":       ".... .... .... -r--",
        "implementation_manager": ".... .... .... -r--",
        "om_manager":             ".... .... .... -r--",
        "supervision_manager":    ".... .... .... -r--",
        "director":               ".... .... .... crwd",
        "sales":                  ".... .... .... -r--",
        "commerce":               ".... .... .... -r--",
        "gm_office":              ".... .... .... -r--",
    },
    # Configuration: every user reads it, the director keeps it.
    "techdept.approval.step": {
        #                          own  team othr dept
        "engineer":               ".... .... .... -r--",
        "presales_engineer":      ".... .... .... -r--",
        "presales_manager":       ".... .... .... -r--",
        "implementation_manager": ".... .... .... -r--",
        "om_manager":             ".... .... .... -r--",
        "supervision_manager":    ".... .... .... -r--",
        "director":               ".... .... .... crwd",
        "sales":                  ".... .... .... -r--",
        "commerce":               ".... .... .... -r--",
        "gm_office":              ".... .... .... -r--",
    },
    # A step of an approved document (see techdept.document) of the person: read by
    # whoever reads the document, its approvers and the director; written only by
    # the engine.
    "techdept.approval.line": {
        #                          own  team othr dept
        "engineer":               ".r-- .--- .--- .---",
        "presales_engineer":      ".r-- .--- .--- .---",
        "presales_manager":       ".... .r-- .... .---",
        "implementation_manager": ".... .--- .... .---",
        "om_manager":             ".... .r-- .... .---",
        "supervision_manager":    ".... .r-- .... .---",
        "director":               ".... .... .... .r--",
        "sales":                  ".... .... .... .---",
        "commerce":               ".... .... .--- .---",
        "gm_office":              ".... .... .... .r--",
    },
    # The decision on such a step: follows its step.
    "techdept.approval.decision": {
        #                          own  team othr dept
        "engineer":               ".r-- .--- .--- .---",
        "presales_engineer":      ".r-- .--- .--- .---",
        "presales_manager":       ".... .r-- .... .---",
        "implementation_manager": ".... .--- .... .---",
        "om_manager":             ".... .r-- .... .---",
        "supervision_manager":    ".... .r-- .... .---",
        "director":               ".... .... .... .r--",
        "sales":                  ".... .... .... .---",
        "commerce":               ".... .... .--- .---",
        "gm_office":              ".... .... .... .r--",
    },
    # A reminder sent on such a step: follows its step (its approver sees it too);
    # written only by the server.
    "techdept.approval.escalation": {
        #                          own  team othr dept
        "engineer":               ".r-- .--- .--- .---",
        "presales_engineer":      ".r-- .--- .--- .---",
        "presales_manager":       ".... .r-- .... .---",
        "implementation_manager": ".... .--- .... .---",
        "om_manager":             ".... .r-- .... .---",
        "supervision_manager":    ".... .r-- .... .---",
        "director":               ".... .... .... .r--",
        "sales":                  ".... .... .... .---",
        "commerce":               ".... .... .--- .---",
        "gm_office":              ".... .... .... .r--",
    },
    # Configuration: every user reads it, the director keeps it.
    "techdept.calendar": {
        #                          own  team othr dept
        "engineer":               ".... .... .... -r--",
        "presales_engineer":      ".... .... .... -r--",
        "presales_manager":       ".... .... .... -r--",
        "implementation_manager": ".... .... .... -r--",
        "om_manager":             ".... .... .... -r--",
        "supervision_manager":    ".... .... .... -r--",
        "director":               ".... .... .... crwd",
        "sales":                  ".... .... .... -r--",
        "commerce":               ".... .... .... -r--",
        "gm_office":              ".... .... .... -r--",
    },
    # Configuration: every user reads it, the director keeps it.
    "techdept.calendar.year": {
        #                          own  team othr dept
        "engineer":               ".... .... .... -r--",
        "presales_engineer":      ".... .... .... -r--",
        "presales_manager":       ".... .... .... -r--",
        "implementation_manager": ".... .... .... -r--",
        "om_manager":             ".... .... .... -r--",
        "supervision_manager":    ".... .... .... -r--",
        "director":               ".... .... .... crwd",
        "sales":                  ".... .... .... -r--",
        "commerce":               ".... .... .... -r--",
        "gm_office":              ".... .... .... -r--",
    },
    # Configuration: every user reads it, the director keeps it.
    "techdept.calendar.day": {
        #                          own  team othr dept
        "engineer":               ".... .... .... -r--",
        "presales_engineer":      ".... .... .... -r--",
        "presales_manager":       ".... .... .... -r--",
        "implementation_manager": ".... .... .... -r--",
        "om_manager":             ".... .... .... -r--",
        "supervision_manager":    ".... .... .... -r--",
        "director":               ".... .... .... crwd",
        "sales":                  ".... .... .... -r--",
        "commerce":               ".... .... .... -r--",
        "gm_office":              ".... .... .... -r--",
    },
    # A group robot (its webhook is a secret): the director's alone.
    "techdept.notice.robot": {
        #                          own  team othr dept
        "engineer":               ".... .... .... ----",
        "presales_engineer":      ".... .... .... ----",
        "presales_manager":       ".... .... .... ----",
        "implementation_manager": ".... .... .... ----",
        "om_manager":             ".... .... .... ----",
        "supervision_manager":    ".... .... .... ----",
        "director":               ".... .... .... crwd",
        "sales":                  ".... .... .... ----",
        "commerce":               ".... .... .... ----",
        "gm_office":              ".... .... .... ----",
    },
    # A notice posted by a robot: the server writes it, the director reads it.
    "techdept.notice": {
        #                          own  team othr dept
        "engineer":               ".... .... .... ----",
        "presales_engineer":      ".... .... .... ----",
        "presales_manager":       ".... .... .... ----",
        "implementation_manager": ".... .... .... ----",
        "om_manager":             ".... .... .... ----",
        "supervision_manager":    ".... .... .... ----",
        "director":               ".... .... .... -r--",
        "sales":                  ".... .... .... ----",
        "commerce":               ".... .... .... ----",
        "gm_office":              ".... .... .... ----",
    },
    # Configuration: every user reads it, the director keeps it.
    "techdept.document.type": {
        #                          own  team othr dept
        "engineer":               ".... .... .... -r--",
        "presales_engineer":      ".... .... .... -r--",
        "presales_manager":       ".... .... .... -r--",
        "implementation_manager": ".... .... .... -r--",
        "om_manager":             ".... .... .... -r--",
        "supervision_manager":    ".... .... .... -r--",
        "director":               ".... .... .... crwd",
        "sales":                  ".... .... .... -r--",
        "commerce":               ".... .... .... -r--",
        "gm_office":              ".... .... .... -r--",
    },
    # Tags: engineers and managers add them, the director deletes them.
    "techdept.document.tag": {
        #                          own  team othr dept
        "engineer":               ".... .... .... crw-",
        "presales_engineer":      ".... .... .... crw-",
        "presales_manager":       ".... .... .... crw-",
        "implementation_manager": ".... .... .... crw-",
        "om_manager":             ".... .... .... crw-",
        "supervision_manager":    ".... .... .... crw-",
        "director":               ".... .... .... crwd",
        "sales":                  ".... .... .... -r--",
        "commerce":               ".... .... .... -r--",
        "gm_office":              ".... .... .... -r--",
    },
    # A document the person wrote, of his function, on no record: the author, the
    # managers of its function, the director; the general manager's office reads
    # them all. Creating makes one's own only.
    "techdept.document": {
        #                          own  team othr dept
        "engineer":               "crwd .--- .--- .---",
        "presales_engineer":      "crwd .--- .--- .---",
        "presales_manager":       "crwd .rwd .--- .---",
        "implementation_manager": "crwd .--- .--- .---",
        "om_manager":             "crwd .rwd .--- .---",
        "supervision_manager":    "crwd .rwd .--- .---",
        "director":               "crwd .rwd .... .rwd",
        "sales":                  "crwd .... .--- .---",
        "commerce":               "crwd .... .--- .---",
        "gm_office":              "crwd .... .... .r--",
    },
    # A deliverable of a stage item of the person's lead (presales engineer,
    # salesperson; commerce: its own item 3.7): whoever may change the lead
    # contributes, whoever may read it reads.
    "techdept.document@crm.lead": {
        #                          own  team othr dept
        "engineer":               ".... .... .... .---",
        "presales_engineer":      "crwd ---- .... .---",
        "presales_manager":       ".... crwd .... .rwd",
        "implementation_manager": ".... .... .... .rwd",
        "om_manager":             ".... .... .... .rwd",
        "supervision_manager":    ".... .... .... .rwd",
        "director":               ".... .... .... .rwd",
        "sales":                  "crwd .... ---- .---",
        "commerce":               "crwd .... .... .---",
        "gm_office":              ".... .... .... .rwd",
    },
    # A deliverable the person wrote on a project he works on: the project's team
    # contributes, the department's managers and the general manager's office
    # read them all, the director does everything.
    "techdept.document@project.project": {
        #                          own  team othr dept
        "engineer":               "crwd ---- ---- .---",
        "presales_engineer":      ".... ---- ---- .---",
        "presales_manager":       ".... .... -r-- .r--",
        "implementation_manager": "crwd crwd -r-- .r--",
        "om_manager":             "crwd crwd -r-- .r--",
        "supervision_manager":    "crwd crwd -r-- .r--",
        "director":               ".... crwd .... .rwd",
        "sales":                  ".... .... .... .---",
        "commerce":               ".... .... ---- .---",
        "gm_office":              ".... .... .... .r--",
    },
    # The absence the manager declared (an engineer: the one he stands in for):
    # the absent manager, the managers above, the director, HR; the general
    # manager's office reads.
    "techdept.delegation": {
        #                          own  team othr dept
        "engineer":               ".... .... .--- .---",
        "presales_engineer":      ".r-- .... .... .---",
        "presales_manager":       "crwd .rwd ---- .---",
        "implementation_manager": "crwd .... ---- .---",
        "om_manager":             "crwd .... ---- .---",
        "supervision_manager":    "crwd .rwd ---- .---",
        "director":               "crwd crwd .... .rwd",
        "sales":                  ".... .... .... .---",
        "commerce":               ".... .... .... .---",
        "gm_office":              ".... .... .... .r--",
    },
    # Configuration: every user reads it, the director keeps it.
    "techdept.presales.phase": {
        #                          own  team othr dept
        "engineer":               ".... .... .... -r--",
        "presales_engineer":      ".... .... .... -r--",
        "presales_manager":       ".... .... .... -r--",
        "implementation_manager": ".... .... .... -r--",
        "om_manager":             ".... .... .... -r--",
        "supervision_manager":    ".... .... .... -r--",
        "director":               ".... .... .... crwd",
        "sales":                  ".... .... .... -r--",
        "commerce":               ".... .... .... -r--",
        "gm_office":              ".... .... .... -r--",
    },
    # Configuration: every user reads it, the director keeps it.
    "techdept.stage.item": {
        #                          own  team othr dept
        "engineer":               ".... .... .... -r--",
        "presales_engineer":      ".... .... .... -r--",
        "presales_manager":       ".... .... .... -r--",
        "implementation_manager": ".... .... .... -r--",
        "om_manager":             ".... .... .... -r--",
        "supervision_manager":    ".... .... .... -r--",
        "director":               ".... .... .... crwd",
        "sales":                  ".... .... .... -r--",
        "commerce":               ".... .... .... -r--",
        "gm_office":              ".... .... .... -r--",
    },
    # Item 2.2 of the person's lead (commerce: item 3.7, which it delivers):
    # created by the server only; "w" is the write access a submission needs.
    "techdept.lead.item": {
        #                          own  team othr dept
        "engineer":               ".... .... .... .---",
        "presales_engineer":      "-rw- ---- .... .---",
        "presales_manager":       ".... -rw- .... .rw-",
        "implementation_manager": ".... .... .... .rw-",
        "om_manager":             ".... .... .... .rw-",
        "supervision_manager":    ".... .... .... .rw-",
        "director":               ".... .... .... .rw-",
        "sales":                  "-rw- .... ---- .---",
        "commerce":               "-rw- .... .... .---",
        "gm_office":              ".... .... .... .rw-",
    },
    # The person's work log: his own; his department's manager reads and corrects
    # it (a new line or a deletion is the engineer's or the director's); the
    # general manager's office reads them all.
    "techdept.worklog": {
        #                          own  team othr dept
        "engineer":               "crwd ---- ---- .---",
        "presales_engineer":      "crwd ---- ---- .---",
        "presales_manager":       "crwd -rw- ---- .---",
        "implementation_manager": "crwd ---- ---- .---",
        "om_manager":             "crwd -rw- ---- .---",
        "supervision_manager":    "crwd -rw- ---- .---",
        "director":               "crwd crwd .... .rwd",
        "sales":                  ".... .... .... .---",
        "commerce":               ".... .... ---- .---",
        "gm_office":              ".... .... .... .r--",
    },
    # Configuration: every user reads it, the director keeps it.
    "techdept.project.phase": {
        #                          own  team othr dept
        "engineer":               ".... .... .... -r--",
        "presales_engineer":      ".... .... .... -r--",
        "presales_manager":       ".... .... .... -r--",
        "implementation_manager": ".... .... .... -r--",
        "om_manager":             ".... .... .... -r--",
        "supervision_manager":    ".... .... .... -r--",
        "director":               ".... .... .... crwd",
        "sales":                  ".... .... .... -r--",
        "commerce":               ".... .... .... -r--",
        "gm_office":              ".... .... .... -r--",
    },
    # A handover from presales on a project the person works on: its team writes
    # it, every manager and the general manager's office read it; nobody deletes
    # one.
    "techdept.handover": {
        #                          own  team othr dept
        "engineer":               "crw- ---- .... .---",
        "presales_engineer":      ".... ---- ---- .---",
        "presales_manager":       ".... .... .... .r--",
        "implementation_manager": "crw- crw- .... .rw-",
        "om_manager":             ".... -r-- .... .r--",
        "supervision_manager":    ".... .... .... .r--",
        "director":               ".... .... .... .rw-",
        "sales":                  ".... .... .... .---",
        "commerce":               ".... .... ---- .---",
        "gm_office":              ".... .... .... .r--",
    },
    # The engineer's assignment to a project: planned by the project's
    # implementation manager, the O&M manager and the director. Who works on
    # which project is no secret: every employee reads them all (a project
    # user outside the department opens projects too).
    "techdept.assignment": {
        #                          own  team othr dept
        "engineer":               "-r-- -r-- .... .r--",
        "presales_engineer":      ".... .... -r-- .r--",
        "presales_manager":       ".... .... .... .r--",
        "implementation_manager": ".... crwd .... .rwd",
        "om_manager":             ".... crwd .... .rwd",
        "supervision_manager":    ".... .... .... .r--",
        "director":               ".... .... .... .rwd",
        "sales":                  ".... .... .... .r--",
        "commerce":               ".... .... -r-- .r--",
        "gm_office":              ".... .... .... .r--",
    },
    # An acceptance of a project the person works on: as handovers.
    "techdept.acceptance": {
        #                          own  team othr dept
        "engineer":               "crw- ---- .... .---",
        "presales_engineer":      ".... ---- ---- .---",
        "presales_manager":       ".... .... .... .r--",
        "implementation_manager": "crw- crw- .... .rw-",
        "om_manager":             ".... -r-- .... .r--",
        "supervision_manager":    ".... .... .... .r--",
        "director":               ".... .... .... .rw-",
        "sales":                  ".... .... .... .---",
        "commerce":               ".... .... ---- .---",
        "gm_office":              ".... .... .... .r--",
    },
    # A construction team of an implementation project the person works on
    # (commerce: one in review): the team writes it, its managers delete it too,
    # managers and the general manager's office read them all, commerce what it
    # reviews.
    "techdept.subcontract": {
        #                          own  team othr dept
        "engineer":               "crw- ---- .... .---",
        "presales_engineer":      ".... ---- ---- .---",
        "presales_manager":       ".... .... .... .r--",
        "implementation_manager": "crwd crwd .... .rwd",
        "om_manager":             ".... -r-- .... .r--",
        "supervision_manager":    ".... .... .... .r--",
        "director":               ".... .... .... .rwd",
        "sales":                  ".... .... .... .---",
        "commerce":               "-r-- .... ---- .---",
        "gm_office":              ".... .... .... .r--",
    },
    # An item of the equipment list of the person's project: written by approved
    # equipment changes only (the director may note it); read by the project's
    # team, the managers, commerce and the general manager's office.
    "techdept.equipment.line": {
        #                          own  team othr dept
        "engineer":               "-r-- ---- ---- .---",
        "presales_engineer":      ".... ---- ---- .---",
        "presales_manager":       ".... .... -r-- .r--",
        "implementation_manager": "-r-- -r-- -r-- .r--",
        "om_manager":             "-r-- -r-- -r-- .r--",
        "supervision_manager":    "-r-- -r-- -r-- .r--",
        "director":               ".... -rw- .... .rw-",
        "sales":                  ".... .... .... .---",
        "commerce":               ".... .... -r-- .r--",
        "gm_office":              ".... .... .... .r--",
    },
    # An equipment change on the person's project (commerce: one in review): as
    # construction teams.
    "techdept.equipment.change": {
        #                          own  team othr dept
        "engineer":               "crw- ---- ---- .---",
        "presales_engineer":      ".... ---- ---- .---",
        "presales_manager":       ".... .... -r-- .r--",
        "implementation_manager": "crwd crwd -r-- .r--",
        "om_manager":             "crwd crwd -r-- .r--",
        "supervision_manager":    "crwd crwd -r-- .r--",
        "director":               ".... crwd .... .rwd",
        "sales":                  ".... .... .... .---",
        "commerce":               "-r-- .... ---- .---",
        "gm_office":              ".... .... .... .r--",
    },
    # A line of such a change: follows its change.
    "techdept.equipment.change.line": {
        #                          own  team othr dept
        "engineer":               "crwd ---- ---- .---",
        "presales_engineer":      ".... ---- ---- .---",
        "presales_manager":       ".... .... -r-- .r--",
        "implementation_manager": "crwd crwd -r-- .r--",
        "om_manager":             "crwd crwd -r-- .r--",
        "supervision_manager":    "crwd crwd -r-- .r--",
        "director":               ".... crwd .... .rwd",
        "sales":                  ".... .... .... .---",
        "commerce":               ".r-- .... ---- .---",
        "gm_office":              ".... .... .... .r--",
    },
    # A repair on the person's O&M project (commerce: one in review): as
    # construction teams.
    "techdept.repair": {
        #                          own  team othr dept
        "engineer":               ".... ---- .... .---",
        "presales_engineer":      ".... .... .... .---",
        "presales_manager":       ".... .... -r-- .r--",
        "implementation_manager": ".... .... .... .r--",
        "om_manager":             "crwd crwd .... .rwd",
        "supervision_manager":    ".... .... -r-- .r--",
        "director":               ".... crwd .... .rwd",
        "sales":                  ".... .... .... .---",
        "commerce":               "-r-- .... ---- .---",
        "gm_office":              ".... .... .... .r--",
    },
    # Configuration: every user reads it, the director keeps it.
    "techdept.grade.band": {
        #                          own  team othr dept
        "engineer":               ".... .... .... -r--",
        "presales_engineer":      ".... .... .... -r--",
        "presales_manager":       ".... .... .... -r--",
        "implementation_manager": ".... .... .... -r--",
        "om_manager":             ".... .... .... -r--",
        "supervision_manager":    ".... .... .... -r--",
        "director":               ".... .... .... crwd",
        "sales":                  ".... .... .... -r--",
        "commerce":               ".... .... .... -r--",
        "gm_office":              ".... .... .... -r--",
    },
    # The appraisal's configuration: the department reads it, the director keeps it.
    "techdept.kpi.template": {
        #                          own  team othr dept
        "engineer":               ".... .... .... -r--",
        "presales_engineer":      ".... .... .... -r--",
        "presales_manager":       ".... .... .... -r--",
        "implementation_manager": ".... .... .... -r--",
        "om_manager":             ".... .... .... -r--",
        "supervision_manager":    ".... .... .... -r--",
        "director":               ".... .... .... crwd",
        "sales":                  ".... .... .... ----",
        "commerce":               ".... .... .... ----",
        "gm_office":              ".... .... .... ----",
    },
    # The appraisal's configuration: the department reads it, the director keeps it.
    "techdept.kpi.template.line": {
        #                          own  team othr dept
        "engineer":               ".... .... .... -r--",
        "presales_engineer":      ".... .... .... -r--",
        "presales_manager":       ".... .... .... -r--",
        "implementation_manager": ".... .... .... -r--",
        "om_manager":             ".... .... .... -r--",
        "supervision_manager":    ".... .... .... -r--",
        "director":               ".... .... .... crwd",
        "sales":                  ".... .... .... ----",
        "commerce":               ".... .... .... ----",
        "gm_office":              ".... .... .... ----",
    },
    # The appraisal's configuration: the department reads it, the director keeps it.
    "techdept.appraisal.period": {
        #                          own  team othr dept
        "engineer":               ".... .... .... -r--",
        "presales_engineer":      ".... .... .... -r--",
        "presales_manager":       ".... .... .... -r--",
        "implementation_manager": ".... .... .... -r--",
        "om_manager":             ".... .... .... -r--",
        "supervision_manager":    ".... .... .... -r--",
        "director":               ".... .... .... crwd",
        "sales":                  ".... .... .... ----",
        "commerce":               ".... .... .... ----",
        "gm_office":              ".... .... .... ----",
    },
    # The person's appraisal, not submitted: private to the appraisers (the
    # co-appraiser too) and the director; only the director changes who
    # appraises; created by the server only.
    "techdept.appraisal@draft": {
        #                          own  team othr dept
        "engineer":               "---- ---- ---- .---",
        "presales_engineer":      "---- ---- ---- .---",
        "presales_manager":       "---- -r-- ---- .---",
        "implementation_manager": "---- -r-- ---- .---",
        "om_manager":             "---- -r-- ---- .---",
        "supervision_manager":    "---- -r-- ---- .---",
        "director":               ".... -rwd .... .rwd",
        "sales":                  ".... .... .... .---",
        "commerce":               ".... .... ---- .---",
        "gm_office":              ".... .... .... .---",
    },
    # The person's appraisal in review with the director: the employee reads it
    # now; frozen for everybody.
    "techdept.appraisal@submitted": {
        #                          own  team othr dept
        "engineer":               ".r-- .--- .--- .-..",
        "presales_engineer":      ".r-- .--- .--- .-..",
        "presales_manager":       ".r-- .r-- .--- .-..",
        "implementation_manager": ".r-- .r-- .--- .-..",
        "om_manager":             ".r-- .r-- .--- .-..",
        "supervision_manager":    ".r-- .r-- .--- .-..",
        "director":               ".... .r-- .... .r..",
        "sales":                  ".... .... .... .-..",
        "commerce":               ".... .... .--- .-..",
        "gm_office":              ".... .... .... .-..",
    },
    # An item of that draft appraisal scored by the appraiser: he (or the
    # director) scores it; the co-appraiser reads it; created by the server only,
    # deleted by nobody.
    "techdept.appraisal.line@draft": {
        #                          own  team othr dept
        "engineer":               "---- ---- ---- .---",
        "presales_engineer":      "---- ---- ---- .---",
        "presales_manager":       "---- -rw- ---- .---",
        "implementation_manager": "---- -r-- ---- .---",
        "om_manager":             "---- -rw- ---- .---",
        "supervision_manager":    "---- -rw- ---- .---",
        "director":               ".... -rw- .... .rw-",
        "sales":                  ".... .... .... .---",
        "commerce":               ".... .... ---- .---",
        "gm_office":              ".... .... .... .---",
    },
    # An item of the appraisal in review: read as its appraisal, frozen.
    "techdept.appraisal.line@submitted": {
        #                          own  team othr dept
        "engineer":               ".r-- .--- .--- .-..",
        "presales_engineer":      ".r-- .--- .--- .-..",
        "presales_manager":       ".r-- .r-- .--- .-..",
        "implementation_manager": ".r-- .r-- .--- .-..",
        "om_manager":             ".r-- .r-- .--- .-..",
        "supervision_manager":    ".r-- .r-- .--- .-..",
        "director":               ".... .r-- .... .r..",
        "sales":                  ".... .... .... .-..",
        "commerce":               ".... .... .--- .-..",
        "gm_office":              ".... .... .... .-..",
    },
    # The person's sheet of goals and self-assessment, a month to come on its
    # goals: his, his appraiser's and co-appraiser's, the director's; written
    # through its actions; created and deleted by the server only.
    "techdept.appraisal.sheet": {
        #                          own  team othr dept
        "engineer":               ".rw- .--- .--- .---",
        "presales_engineer":      ".rw- .--- .--- .---",
        "presales_manager":       ".rw- .rw- .--- .---",
        "implementation_manager": ".rw- .rw- .--- .---",
        "om_manager":             ".rw- .rw- .--- .---",
        "supervision_manager":    ".rw- .rw- .--- .---",
        "director":               ".... .rw- .... .rw-",
        "sales":                  ".... .... .... .---",
        "commerce":               ".... .... .--- .---",
        "gm_office":              ".... .... .... .---",
    },
    # Its first item, scored by the appraiser: the goal is written by the
    # employee and the appraiser (or the director); the co-appraiser reads it.
    "techdept.appraisal.sheet.line": {
        #                          own  team othr dept
        "engineer":               ".rw- .--- .--- .---",
        "presales_engineer":      ".rw- .--- .--- .---",
        "presales_manager":       ".rw- .rw- .--- .---",
        "implementation_manager": ".rw- .r-- .--- .---",
        "om_manager":             ".rw- .rw- .--- .---",
        "supervision_manager":    ".rw- .rw- .--- .---",
        "director":               ".... .rw- .... .rw-",
        "sales":                  ".... .... .... .---",
        "commerce":               ".... .... .--- .---",
        "gm_office":              ".... .... .... .---",
    },
    # The person's appeal of his approved form, in review: his, read by his
    # appraiser and co-appraiser and by whoever decides it; frozen for
    # everybody; created by the server only (the appeal wizard), deleted by
    # nobody.
    "techdept.appraisal.appeal": {
        #                          own  team othr dept
        "engineer":               ".r-- .--- .--- .-..",
        "presales_engineer":      ".r-- .--- .--- .-..",
        "presales_manager":       ".r-- .r-- .--- .-..",
        "implementation_manager": ".r-- .r-- .--- .-..",
        "om_manager":             ".r-- .r-- .--- .-..",
        "supervision_manager":    ".r-- .r-- .--- .-..",
        "director":               ".... .r-- .... .r..",
        "sales":                  ".... .... .... .-..",
        "commerce":               ".... .... .--- .-..",
        "gm_office":              ".... .... .... .-..",
    },
    # The managers' appeals (the director appraised them): the general
    # manager's office decides them, and reads them all.
    "techdept.appraisal.appeal@gm_office": {
        #                          own  team othr dept
        "engineer":               ".... .... .... .-..",
        "presales_engineer":      ".... .... .... .-..",
        "presales_manager":       ".r-- .... .--- .-..",
        "implementation_manager": ".r-- .... .--- .-..",
        "om_manager":             ".r-- .... .--- .-..",
        "supervision_manager":    ".r-- .... .--- .-..",
        "director":               ".... .r-- .... .r..",
        "sales":                  ".... .... .... .-..",
        "commerce":               ".... .... .... .-..",
        "gm_office":              ".... .... .... .r..",
    },
    # A lead's stays in its stages (its stage history), kept by the server as
    # it moves: read by whoever reads the lead; written by nobody.
    "techdept.lead.stage.entry": {
        #                          own  team othr dept
        "engineer":               ".... .... .... .---",
        "presales_engineer":      ".r-- .--- .... .---",
        "presales_manager":       ".... .r-- .... .r--",
        "implementation_manager": ".... .... .... .r--",
        "om_manager":             ".... .... .... .r--",
        "supervision_manager":    ".... .... .... .r--",
        "director":               ".... .... .... .r--",
        "sales":                  ".r-- .... .--- .---",
        "commerce":               ".r-- .... .... .---",
        "gm_office":              ".... .... .... .r--",
    },
    # The stage durations report: its rows follow the leads they describe.
    "techdept.lead.stage.report": {
        #                          own  team othr dept
        "engineer":               ".... .... .... .---",
        "presales_engineer":      ".r-- .--- .... .---",
        "presales_manager":       ".... .r-- .... .r--",
        "implementation_manager": ".... .... .... .r--",
        "om_manager":             ".... .... .... .r--",
        "supervision_manager":    ".... .... .... .r--",
        "director":               ".... .... .... .r--",
        "sales":                  ".r-- .... .--- .---",
        "commerce":               ".r-- .... .... .---",
        "gm_office":              ".... .... .... .r--",
    },
    # A project's deliverables checklist, read from the phases and documents:
    # its rows follow the project (every employee opens projects).
    "techdept.project.deliverable": {
        #                          own  team othr dept
        "engineer":               ".r-- .... .r-- .r--",
        "presales_engineer":      ".... .r-- .r-- .r--",
        "presales_manager":       ".... .... .... .r--",
        "implementation_manager": ".r-- .r-- .r-- .r--",
        "om_manager":             ".... .... .r-- .r--",
        "supervision_manager":    ".r-- .r-- .... .r--",
        "director":               ".... .... .... .r--",
        "sales":                  ".... .... .... .r--",
        "commerce":               ".... .... .... .r--",
        "gm_office":              ".... .... .... .r--",
    },
    # The engineer pool the managers plan from: managers and the director read
    # it; nobody else.
    "techdept.pool.engineer": {
        #                          own  team othr dept
        "engineer":               ".--- .--- .... .---",
        "presales_engineer":      ".... .... .--- .---",
        "presales_manager":       ".... .... .... .r--",
        "implementation_manager": ".... .r-- .... .r--",
        "om_manager":             ".... .r-- .... .r--",
        "supervision_manager":    ".... .... .... .r--",
        "director":               ".... .... .... .r--",
        "sales":                  ".... .... .... .---",
        "commerce":               ".... .... .--- .---",
        "gm_office":              ".... .... .... .---",
    },
    # The cockpit's figures: read by the director and the general manager's
    # office only; data of the module, changed by nobody.
    "techdept.cockpit.figure": {
        #                          own  team othr dept
        "engineer":               ".... .... .... ----",
        "presales_engineer":      ".... .... .... ----",
        "presales_manager":       ".... .... .... ----",
        "implementation_manager": ".... .... .... ----",
        "om_manager":             ".... .... .... ----",
        "supervision_manager":    ".... .... .... ----",
        "director":               ".... .... .... -r--",
        "sales":                  ".... .... .... ----",
        "commerce":               ".... .... .... ----",
        "gm_office":              ".... .... .... -r--",
    },
    # The bonus pool the manager drew up: his and the director's; engineers,
    # sales, commerce and the general manager's office see none.
    "techdept.bonus.pool": {
        #                          own  team othr dept
        "engineer":               "-... .... .... .---",
        "presales_engineer":      "-... .... .... .---",
        "presales_manager":       "crw- .... .--- .---",
        "implementation_manager": "crw- .... .--- .---",
        "om_manager":             "crw- .... .--- .---",
        "supervision_manager":    "crw- .... .--- .---",
        "director":               "crwd .rwd .... .rwd",
        "sales":                  "-... .... .... .---",
        "commerce":               "-... .... .... .---",
        "gm_office":              "-... .... .... .---",
    },
    # A line of that pool: follows its pool.
    "techdept.bonus.line": {
        #                          own  team othr dept
        "engineer":               ".... .... .... .---",
        "presales_engineer":      ".... .... .... .---",
        "presales_manager":       "crwd .... ---- .---",
        "implementation_manager": "crwd .... ---- .---",
        "om_manager":             "crwd .... ---- .---",
        "supervision_manager":    "crwd .... ---- .---",
        "director":               "crwd crwd .... .rwd",
        "sales":                  ".... .... .... .---",
        "commerce":               ".... .... .... .---",
        "gm_office":              ".... .... .... .---",
    },
    # The budget the manager drew up: as bonus pools.
    "techdept.budget": {
        #                          own  team othr dept
        "engineer":               "-... .... .... .---",
        "presales_engineer":      "-... .... .... .---",
        "presales_manager":       "crw- .... .--- .---",
        "implementation_manager": "crw- .... .--- .---",
        "om_manager":             "crw- .... .--- .---",
        "supervision_manager":    "crw- .... .--- .---",
        "director":               "crwd .rwd .... .rwd",
        "sales":                  "-... .... .... .---",
        "commerce":               "-... .... .... .---",
        "gm_office":              "-... .... .... .---",
    },
    # Configuration: every user reads it, the director keeps it.
    "techdept.report.template": {
        #                          own  team othr dept
        "engineer":               ".... .... .... -r--",
        "presales_engineer":      ".... .... .... -r--",
        "presales_manager":       ".... .... .... -r--",
        "implementation_manager": ".... .... .... -r--",
        "om_manager":             ".... .... .... -r--",
        "supervision_manager":    ".... .... .... -r--",
        "director":               ".... .... .... crwd",
        "sales":                  ".... .... .... -r--",
        "commerce":               ".... .... .... -r--",
        "gm_office":              ".... .... .... -r--",
    },
    # Configuration: every user reads it, the director keeps it.
    "techdept.report.template.section": {
        #                          own  team othr dept
        "engineer":               ".... .... .... -r--",
        "presales_engineer":      ".... .... .... -r--",
        "presales_manager":       ".... .... .... -r--",
        "implementation_manager": ".... .... .... -r--",
        "om_manager":             ".... .... .... -r--",
        "supervision_manager":    ".... .... .... -r--",
        "director":               ".... .... .... crwd",
        "sales":                  ".... .... .... -r--",
        "commerce":               ".... .... .... -r--",
        "gm_office":              ".... .... .... -r--",
    },
    # The person's progress report of this week (the engineers' submitted,
    # the managers' draft; the director, sales, commerce and the general
    # manager's office write none): made by the server only; read by its
    # author, the managers of his department, its reviewers (the
    # implementation manager of the engineer's project) and the director;
    # its write access is that of its sections' text (see the sections);
    # the director deletes a draft one, which the server makes again.
    "techdept.progress.report": {
        #                          own  team othr dept
        "engineer":               "-rw- ---- ---- .---",
        "presales_engineer":      "-rw- ---- ---- .---",
        "presales_manager":       "-rw- -rw- ---- .---",
        "implementation_manager": "-rw- -rw- ---- .---",
        "om_manager":             "-rw- -rw- ---- .---",
        "supervision_manager":    "-rw- -rw- ---- .---",
        "director":               ".... -rwd .... .rw-",
        "sales":                  ".... .... .... .---",
        "commerce":               ".... .... ---- .---",
        "gm_office":              ".... .... .... .---",
    },
    # A section of that report: read as its report; only its author writes
    # it, while the report is a draft; the sections are the template's.
    "techdept.progress.report.section": {
        #                          own  team othr dept
        "engineer":               "-r-- ---- ---- .---",
        "presales_engineer":      "-rw- ---- ---- .---",
        "presales_manager":       "-rw- -r-- ---- .---",
        "implementation_manager": "-rw- -r-- ---- .---",
        "om_manager":             "-rw- -r-- ---- .---",
        "supervision_manager":    "-rw- -r-- ---- .---",
        "director":               ".... -r-- .... .r--",
        "sales":                  ".... .... .... .---",
        "commerce":               ".... .... ---- .---",
        "gm_office":              ".... .... .... .---",
    },
    # A figure of a submitted report (the engineers'): read as its report,
    # the suite's alone.
    "techdept.progress.report.figure": {
        #                          own  team othr dept
        "engineer":               "-r-- ---- ---- .---",
        "presales_engineer":      ".... .... ---- .---",
        "presales_manager":       ".... .... .... .---",
        "implementation_manager": ".... -r-- .... .---",
        "om_manager":             ".... -r-- .... .---",
        "supervision_manager":    ".... -r-- .... .---",
        "director":               ".... .... .... .r--",
        "sales":                  ".... .... .... .---",
        "commerce":               ".... .... ---- .---",
        "gm_office":              ".... .... .... .---",
    },
    # A review of a submitted report: read as its report; given through the
    # report's review action only.
    "techdept.progress.report.review": {
        #                          own  team othr dept
        "engineer":               "-r-- ---- ---- .---",
        "presales_engineer":      ".... .... ---- .---",
        "presales_manager":       ".... .... .... .---",
        "implementation_manager": ".... -r-- .... .---",
        "om_manager":             ".... -r-- .... .---",
        "supervision_manager":    ".... -r-- .... .---",
        "director":               ".... .... .... .r--",
        "sales":                  ".... .... .... .---",
        "commerce":               ".... .... ---- .---",
        "gm_office":              ".... .... .... .---",
    },
    # The training plan the presales manager draws up with the O&M manager
    # (his and the O&M manager's): they and the director keep plans, the
    # department reads them.
    "techdept.training.plan": {
        #                          own  team othr dept
        "engineer":               "-... .... .... .r--",
        "presales_engineer":      "-... .... .... .r--",
        "presales_manager":       "crwd .... .rwd .rwd",
        "implementation_manager": "-... .... .... .r--",
        "om_manager":             "crwd .... .... .rwd",
        "supervision_manager":    "-... .... .r-- .r--",
        "director":               "c... .rwd .... .rwd",
        "sales":                  "-... .... .... .---",
        "commerce":               "-... .... .... .---",
        "gm_office":              "-... .... .... .---",
    },
    # A training of that plan: follows its plan.
    "techdept.training.plan.line": {
        #                          own  team othr dept
        "engineer":               ".... .... .... .r--",
        "presales_engineer":      ".... .... .... .r--",
        "presales_manager":       "crwd .... crwd .rwd",
        "implementation_manager": ".... .... .... .r--",
        "om_manager":             "crwd .... .... .rwd",
        "supervision_manager":    ".... .... -r-- .r--",
        "director":               ".... crwd .... .rwd",
        "sales":                  ".... .... .... .---",
        "commerce":               ".... .... .... .---",
        "gm_office":              ".... .... .... .---",
    },
    # A training session the person organises (the implementation manager's):
    # the managers in charge of training (presales, O&M, implementation) and
    # the director organise sessions, the department reads them.
    "techdept.training.session": {
        #                          own  team othr dept
        "engineer":               "-... .... .... .r--",
        "presales_engineer":      "-... .... .... .r--",
        "presales_manager":       "c... .... .... .rwd",
        "implementation_manager": "crwd .... .... .rwd",
        "om_manager":             "c... .... .... .rwd",
        "supervision_manager":    "-... .... .... .r--",
        "director":               "c... .... .... .rwd",
        "sales":                  "-... .... .... .---",
        "commerce":               "-... .... .... .---",
        "gm_office":              "-... .... .... .---",
    },
    # The person's invitation to that session: the department reads who
    # attends; whoever organises sessions records it.
    "techdept.training.attendance": {
        #                          own  team othr dept
        "engineer":               "-r-- -r-- .... .r--",
        "presales_engineer":      ".... .... -r-- .r--",
        "presales_manager":       ".... .... .... .rwd",
        "implementation_manager": ".... crwd .... .rwd",
        "om_manager":             ".... crwd .... .rwd",
        "supervision_manager":    ".... .... .... .r--",
        "director":               ".... .... .... .rwd",
        "sales":                  ".... .... .... .---",
        "commerce":               ".... .... ---- .---",
        "gm_office":              ".... .... .... .---",
    },
    # The on-site report of an O&M service the person works on (the engineer
    # an on-site engineer of it): made by the server only; its on-site
    # engineers write it, its team, the managers and the general manager's
    # office read it.
    "techdept.onsite.report": {
        #                          own  team othr dept
        "engineer":               "-rw- -rw- .... .rw-",
        "presales_engineer":      ".... .... ---- .---",
        "presales_manager":       ".... .... -r-- .r--",
        "implementation_manager": ".... -r-- .... .r--",
        "om_manager":             "-r-- -r-- .... .r--",
        "supervision_manager":    ".... .... -r-- .r--",
        "director":               ".... -r-- .... .r--",
        "sales":                  ".... .... .... .---",
        "commerce":               ".... .... ---- .---",
        "gm_office":              ".... .... .... .r--",
    },
    # The suite's side of a lead: the person's lead (salesperson, presales
    # engineer; commerce: a lead with its items). The department's managers and
    # the general manager's office work on every lead.
    "crm.lead": {
        #                          own  team othr dept
        "engineer":               ".... .... .... .---",
        "presales_engineer":      ".rw- .--- .... .---",
        "presales_manager":       ".... .rw- .... .rw-",
        "implementation_manager": ".... .... .... .rw-",
        "om_manager":             ".... .... .... .rw-",
        "supervision_manager":    ".... .... .... .rw-",
        "director":               ".... .... .... .rw-",
        "sales":                  "crw- .... ---- .---",
        "commerce":               ".rw- .... .... .---",
        "gm_office":              ".... .... .... .rw-",
    },
    # A project the person works on (nothing on it yet): Odoo's rights, the
    # suite's groups: engineers are project users, managers project managers.
    "project.project": {
        #                          own  team othr dept
        "engineer":               "-r-- -r-- -r-- .r--",
        "presales_engineer":      ".... .... -r-- .r--",
        "presales_manager":       ".... .... crwd .rwd",
        "implementation_manager": "crwd crwd crwd .rwd",
        "om_manager":             "crwd crwd crwd .rwd",
        "supervision_manager":    "crwd crwd crwd .rwd",
        "director":               ".... crwd .... .rwd",
        "sales":                  ".... .... .... .r--",
        "commerce":               ".... .... -r-- .r--",
        "gm_office":              ".... .... .... .r--",
    },
}
# fmt: on
