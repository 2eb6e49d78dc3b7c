use super::*;
use AccessLevel::{Admin, Read, Write};
use Permission as P;

/// The table of product spec §2, written out cell by cell so that a change to `allows` that
/// does not also change this table fails.
fn expected(role: Role, p: Permission) -> bool {
    let person = [P::ViewSecrets, P::ViewAudit];
    let writer = [P::WriteSecrets, P::GrantAccess];
    let admin = [
        P::RevealContent,
        P::ManageMembers,
        P::ManageApplications,
        P::SignOffReview,
    ];
    let superuser = [P::ManageModels, P::ManageUsers];
    let app = [P::ReadGrantedContent, P::WriteOwnSecrets];
    match role {
        Role::Member(Read) => person.contains(&p),
        Role::Member(Write) => person.contains(&p) || writer.contains(&p),
        Role::Member(Admin) => person.contains(&p) || writer.contains(&p) || admin.contains(&p),
        Role::Superuser => {
            person.contains(&p)
                || writer.contains(&p)
                || admin.contains(&p)
                || superuser.contains(&p)
        }
        Role::Application => app.contains(&p),
        Role::NonMember | Role::ForeignApplication => false,
    }
}

#[test]
fn every_role_and_permission_pair() {
    let roles = [
        Role::NonMember,
        Role::Member(Read),
        Role::Member(Write),
        Role::Member(Admin),
        Role::Superuser,
        Role::Application,
        Role::ForeignApplication,
    ];
    for role in roles {
        for p in Permission::ALL {
            assert_eq!(role.allows(p), expected(role, p), "{role:?} × {p:?}");
        }
    }
}

#[test]
fn outsiders_get_not_found() {
    assert_eq!(Role::NonMember.denial(), Denial::NotFound);
    assert_eq!(Role::ForeignApplication.denial(), Denial::NotFound);
    assert_eq!(Role::Member(Read).denial(), Denial::Forbidden);
    assert_eq!(Role::Application.denial(), Denial::Forbidden);
}

#[test]
fn levels_parse_and_order() {
    assert!(Read < Write && Write < Admin);
    assert_eq!("write".parse::<AccessLevel>(), Ok(Write));
    assert_eq!(
        "owner".parse::<AccessLevel>().unwrap_err().to_string(),
        "access level \"owner\" not valid: use read, write or admin"
    );
}

#[test]
fn pages_offer_what_the_table_allows() {
    let caps = |role: Role| {
        let c = role.capabilities();
        [
            c.write_secrets,
            c.grant_access,
            c.reveal_content,
            c.manage_applications,
            c.sign_off_review,
        ]
    };
    assert_eq!(caps(Role::Member(Read)), [false; 5]);
    assert_eq!(caps(Role::Member(Write)), [true, true, false, false, false]);
    assert_eq!(caps(Role::Member(Admin)), [true; 5]);
    assert_eq!(caps(Role::Superuser), [true; 5]);
    assert_eq!(caps(Role::Application), [false; 5]);
}
