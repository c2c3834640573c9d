//! Installing and upgrading the server schema, and refusing a newer one.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chipwatch_sync::{Server, SyncError, Upgrade, SERVER_SCHEMA_VERSION};
use common::cluster::Cluster;

#[test]
fn install_needs_a_superuser_and_a_second_install_changes_nothing() {
    let cluster = Cluster::start();
    let mut su = cluster.superuser();
    su.batch_execute(
        "CREATE ROLE plain LOGIN PASSWORD 'plain-pw'; CREATE ROLE public_only NOLOGIN",
    )
    .unwrap();

    let mut plain = Server::connect(&cluster.url("plain", "plain-pw")).unwrap();
    assert_eq!(plain.schema_version(), 0);
    assert!(matches!(
        plain.create_workspace("x"),
        Err(SyncError::NotInstalled)
    ));
    let err = plain.install_or_upgrade().unwrap_err();
    assert!(matches!(err, SyncError::NeedsSuperuser { .. }), "{err:?}");

    let mut admin = Server::connect(&cluster.superuser_url()).unwrap();
    assert_eq!(
        admin.install_or_upgrade().unwrap(),
        Upgrade {
            from: 0,
            to: SERVER_SCHEMA_VERSION
        }
    );
    assert_eq!(
        admin.install_or_upgrade().unwrap(),
        Upgrade {
            from: SERVER_SCHEMA_VERSION,
            to: SERVER_SCHEMA_VERSION
        }
    );
    // Once installed, a login that is not a Chipwatch user is told so at connect.
    let err = Server::connect(&cluster.url("plain", "plain-pw")).unwrap_err();
    assert!(
        matches!(err, SyncError::NotAChipwatchUser { .. }),
        "{err:?}"
    );
    // A member may "upgrade" a current schema: there is nothing to do.
    su.batch_execute("GRANT chipwatch_user TO plain").unwrap();
    let mut plain = Server::connect(&cluster.url("plain", "plain-pw")).unwrap();
    assert_eq!(
        plain.install_or_upgrade().unwrap().from,
        SERVER_SCHEMA_VERSION
    );

    // What the design promises about the installed objects.
    let q = |su: &mut postgres::Client, sql: &str| -> Vec<String> {
        su.query(sql, &[])
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect()
    };
    assert!(
        q(&mut su, "SELECT relname::text FROM pg_class WHERE relnamespace = 'chipwatch'::regnamespace AND relkind = 'r' AND NOT relrowsecurity").is_empty(),
        "row-level security on every table"
    );
    assert!(
        q(&mut su, "SELECT relname::text FROM pg_class WHERE relnamespace = 'chipwatch'::regnamespace AND relowner <> 'chipwatch_owner'::regrole").is_empty(),
        "chipwatch_owner owns everything"
    );
    assert_eq!(q(&mut su, "SELECT rolname::text FROM pg_roles WHERE rolname IN ('chipwatch_owner', 'chipwatch_user') AND rolcanlogin"), Vec::<String>::new());
    let api = q(
        &mut su,
        "SELECT p.proname::text FROM pg_proc p WHERE p.pronamespace = 'chipwatch'::regnamespace \
         AND has_function_privilege('chipwatch_user', p.oid, 'EXECUTE') ORDER BY 1",
    );
    assert_eq!(
        api,
        [
            "create_workspace",
            "grant_role",
            "list_members",
            "my_workspaces",
            // pull(workspace, after, max) and, since 0004, with the seqs the caller has.
            "pull",
            "pull",
            "push",
            "revoke_role"
        ]
    );
    let loose = q(
        &mut su,
        "SELECT p.proname::text FROM pg_proc p WHERE p.pronamespace = 'chipwatch'::regnamespace \
         AND has_function_privilege('chipwatch_user', p.oid, 'EXECUTE') \
         AND NOT (p.prosecdef AND 'search_path=chipwatch, pg_temp' = ANY (p.proconfig))",
    );
    assert!(
        loose.is_empty(),
        "SECURITY DEFINER with a fixed search_path: {loose:?}"
    );
    let public = q(
        &mut su,
        "SELECT p.proname::text FROM pg_proc p WHERE p.pronamespace = 'chipwatch'::regnamespace \
         AND has_function_privilege('public_only', p.oid, 'EXECUTE')",
    );
    assert!(public.is_empty(), "no EXECUTE for PUBLIC: {public:?}");
}

#[test]
fn a_server_schema_newer_than_this_chipwatch_is_refused_and_left_alone() {
    let cluster = Cluster::start();
    let team = cluster.install();
    let mut a1 = team.login("analyst1");
    let ws = a1.create_workspace("Future").unwrap();
    drop(a1);

    let mut su = cluster.superuser();
    su.execute("UPDATE chipwatch.server_meta SET version = 99", &[])
        .unwrap();

    let mut a1 = team.login("analyst1");
    assert_eq!(a1.schema_version(), 99);
    let err = a1.pull(ws, 0, 10).unwrap_err();
    assert!(
        matches!(
            err,
            SyncError::SchemaNewer {
                server: 99,
                known: SERVER_SCHEMA_VERSION
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("update Chipwatch"), "{err}");
    assert!(matches!(
        a1.push(ws, &[]),
        Err(SyncError::SchemaNewer { .. })
    ));

    let mut admin = Server::connect(&cluster.superuser_url()).unwrap();
    assert!(matches!(
        admin.install_or_upgrade(),
        Err(SyncError::SchemaNewer { server: 99, .. })
    ));
    let version: i32 = su
        .query_one("SELECT version FROM chipwatch.server_meta", &[])
        .unwrap()
        .get(0);
    assert_eq!(version, 99, "nothing changed");

    // An older schema is named too, with the command that upgrades it.
    su.execute("UPDATE chipwatch.server_meta SET version = 0", &[])
        .unwrap();
    let mut a1 = team.login("analyst1");
    let err = a1.pull(ws, 0, 10).unwrap_err();
    assert!(err.to_string().contains("chipwatch team upgrade"), "{err}");
}

#[test]
fn a_schema_named_chipwatch_that_is_not_ours_is_refused() {
    let cluster = Cluster::start();
    let mut su = cluster.superuser();
    su.batch_execute("CREATE SCHEMA chipwatch; CREATE TABLE chipwatch.mine (x int)")
        .unwrap();
    let err = Server::connect(&cluster.superuser_url()).unwrap_err();
    assert!(matches!(err, SyncError::ForeignSchema), "{err:?}");
}
