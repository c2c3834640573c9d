//! Who may do what: roles, row-level security with real second logins, and the errors
//! a person gets.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chipwatch_sync::{Member, Role, Server, SyncError};
use common::cluster::Cluster;
use common::firm_edit;
use postgres::error::SqlState;
use serde_json::json;
use uuid::Uuid;

#[test]
fn a_readers_push_is_refused_by_the_server_with_a_clear_error() {
    let cluster = Cluster::start();
    let team = cluster.install();
    let mut a1 = team.login("analyst1");
    let ws = a1.create_workspace("Readers").unwrap();
    a1.grant(ws, "analyst3", Role::Reader).unwrap();
    a1.push(
        ws,
        &[firm_edit(Uuid::now_v7(), 0, json!({"name": "Biren"}))],
    )
    .unwrap();

    let mut a3 = team.login("analyst3");
    let change = firm_edit(Uuid::now_v7(), 0, json!({"name": "Moore Threads"}));
    let err = a3.push(ws, std::slice::from_ref(&change)).unwrap_err();
    assert!(matches!(err, SyncError::ReadOnly { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("analyst3 may only read workspace \"Readers\""),
        "{text}"
    );
    assert!(text.contains("make you an editor"), "{text}");
    assert!(!err.is_retryable());

    // The refusal is the server's (SQLSTATE 42501), not the app hiding a button.
    let mut raw = team.raw("analyst3");
    let batch = serde_json::to_value([&change]).unwrap();
    let db_err = raw
        .query_one("SELECT chipwatch.push($1, $2)", &[&ws, &batch])
        .unwrap_err();
    assert_eq!(db_err.code(), Some(&SqlState::INSUFFICIENT_PRIVILEGE));
    // A reader still pulls.
    assert_eq!(a3.pull(ws, 0, 10).unwrap().len(), 1);
    // Made an editor, the same change goes through.
    a1.grant(ws, "analyst3", Role::Editor).unwrap();
    assert_eq!(a3.push(ws, &[change]).unwrap().len(), 1);
}

#[test]
fn a_member_of_one_workspace_sees_nothing_of_another_even_with_direct_selects() {
    let cluster = Cluster::start();
    let team = cluster.install();
    let mut a1 = team.login("analyst1");
    let mut a2 = team.login("analyst2");
    let ws_a = a1.create_workspace("Team A").unwrap();
    let ws_b = a2.create_workspace("Team B").unwrap();
    a1.push(
        ws_a,
        &[firm_edit(Uuid::now_v7(), 0, json!({"name": "A's firm"}))],
    )
    .unwrap();
    let b_batch: Vec<_> = (0..3)
        .map(|i| firm_edit(Uuid::now_v7(), 0, json!({"name": format!("B's firm {i}")})))
        .collect();
    a2.push(ws_b, &b_batch).unwrap();

    // analyst1's own login, straight at the tables.
    let mut raw = team.raw("analyst1");
    let count =
        |raw: &mut postgres::Client, sql: &str| -> i64 { raw.query_one(sql, &[]).unwrap().get(0) };
    assert_eq!(count(&mut raw, "SELECT count(*) FROM chipwatch.records"), 1);
    assert_eq!(count(&mut raw, "SELECT count(*) FROM chipwatch.changes"), 1);
    assert_eq!(
        count(&mut raw, "SELECT count(*) FROM chipwatch.workspaces"),
        1
    );
    assert_eq!(count(&mut raw, "SELECT count(*) FROM chipwatch.members"), 1);
    let b_rows: i64 = raw
        .query_one(
            "SELECT (SELECT count(*) FROM chipwatch.records WHERE workspace_id = $1) \
                  + (SELECT count(*) FROM chipwatch.changes WHERE workspace_id = $1) \
                  + (SELECT count(*) FROM chipwatch.members WHERE workspace_id = $1)",
            &[&ws_b],
        )
        .unwrap()
        .get(0);
    assert_eq!(b_rows, 0, "B's rows are invisible, not just unlisted");
    let names: Vec<String> = raw
        .query("SELECT fields->>'name' FROM chipwatch.records", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(names, ["A's firm"]);
    // analyst2 sees B's three firms: the filter is per login, not a blanket refusal.
    let mut raw2 = team.raw("analyst2");
    assert_eq!(
        count(&mut raw2, "SELECT count(*) FROM chipwatch.records"),
        3
    );

    // Through the API: no pull, push or member list of B.
    let err = a1.pull(ws_b, 0, 100).unwrap_err();
    assert!(matches!(err, SyncError::NotMember { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("analyst1 is not a member of workspace"),
        "{err}"
    );
    assert!(matches!(
        a1.push(ws_b, &[firm_edit(Uuid::now_v7(), 0, json!({}))]),
        Err(SyncError::NotMember { .. })
    ));
    assert!(matches!(a1.members(ws_b), Err(SyncError::NotMember { .. })));
    assert!(matches!(
        a1.grant(ws_b, "analyst1", Role::Admin),
        Err(SyncError::NotMember { .. })
    ));

    // Nor around it: no writes to the tables, no internal helpers.
    for sql in [
        "UPDATE chipwatch.records SET fields = '{}'",
        "DELETE FROM chipwatch.changes",
        "INSERT INTO chipwatch.members VALUES ('00000000-0000-0000-0000-000000000000', 'analyst1', 'admin')",
        "SELECT chipwatch.push_one('00000000-0000-0000-0000-000000000000', '{}', 1)",
        "SELECT chipwatch.keep_an_admin('00000000-0000-0000-0000-000000000000', 'analyst1')",
    ] {
        let err = raw.execute(sql, &[]).unwrap_err();
        assert_eq!(err.code(), Some(&SqlState::INSUFFICIENT_PRIVILEGE), "{sql}: {err}");
    }
}

#[test]
fn admins_manage_members_and_a_workspace_keeps_an_admin() {
    let cluster = Cluster::start();
    let team = cluster.install();
    let mut a1 = team.login("analyst1");
    let ws = a1.create_workspace("Members").unwrap();
    a1.grant(ws, "analyst2", Role::Editor).unwrap();
    a1.grant(ws, "analyst3", Role::Reader).unwrap();
    let member = |name: &str, role| Member {
        name: name.into(),
        role,
    };
    assert_eq!(
        a1.members(ws).unwrap(),
        [
            member("analyst1", Role::Admin),
            member("analyst2", Role::Editor),
            member("analyst3", Role::Reader)
        ]
    );
    // Any member lists; only admins change.
    let mut a2 = team.login("analyst2");
    assert_eq!(a2.members(ws).unwrap().len(), 3);
    let err = a2.grant(ws, "analyst3", Role::Admin).unwrap_err();
    assert!(matches!(err, SyncError::NotAdmin { .. }), "{err:?}");
    assert!(err.to_string().contains("only an admin"), "{err}");

    // The last admin can neither leave nor step down.
    let err = a1.revoke(ws, "analyst1").unwrap_err();
    assert!(err.to_string().contains("last admin"), "{err}");
    assert!(a1
        .grant(ws, "analyst1", Role::Editor)
        .unwrap_err()
        .to_string()
        .contains("last admin"));
    a1.grant(ws, "analyst2", Role::Admin).unwrap();
    a1.revoke(ws, "analyst1").unwrap();
    assert_eq!(
        a2.members(ws).unwrap(),
        [
            member("analyst2", Role::Admin),
            member("analyst3", Role::Reader)
        ]
    );
    assert!(
        matches!(a1.pull(ws, 0, 1), Err(SyncError::NotMember { .. })),
        "a removed member reads no more"
    );

    // Logins that are not Chipwatch users, or do not exist, are named as such.
    let mut su = cluster.superuser();
    su.batch_execute("CREATE ROLE outsider LOGIN PASSWORD 'outsider-pw'")
        .unwrap();
    let err = a2.grant(ws, "outsider", Role::Reader).unwrap_err();
    assert!(
        err.to_string().contains("GRANT chipwatch_user TO outsider"),
        "{err}"
    );
    assert!(a2
        .grant(ws, "nobody", Role::Reader)
        .unwrap_err()
        .to_string()
        .contains("no login named nobody"));
    let err = Server::connect(&cluster.url("outsider", "outsider-pw")).unwrap_err();
    assert!(
        matches!(err, SyncError::NotAChipwatchUser { .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("GRANT chipwatch_user TO outsider"),
        "{err}"
    );

    // Workspace names are unique.
    let err = a2.create_workspace("Members").unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
}

#[test]
fn connection_failures_say_what_to_check() {
    let cluster = Cluster::start();
    let team = cluster.install();

    let wrong = cluster.url("analyst1", "not-the-password");
    let err = Server::connect(&wrong).unwrap_err();
    assert!(matches!(err, SyncError::LoginRefused { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("refused the login analyst1") && !text.contains("not-the-password"),
        "{text}"
    );

    // No password anywhere (the address, PGPASSWORD, the password file): the
    // login is refused for want of one, not reported as an unreachable server.
    if std::env::var_os("PGPASSWORD").is_none() {
        let bare = format!("postgresql://analyst1@127.0.0.1:{}/postgres", cluster.port);
        let err = Server::connect(&bare).unwrap_err();
        assert!(matches!(err, SyncError::NoPassword { .. }), "{err:?}");
        let text = err.to_string();
        assert!(
            text.contains("refused the login analyst1 without a password")
                && text.contains("~/.pgpass"),
            "{text}"
        );
    }

    // Nothing listens on a port that was just freed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = Server::connect(&format!(
        "postgresql://analyst1:pw@127.0.0.1:{port}/postgres"
    ))
    .unwrap_err();
    assert!(matches!(err, SyncError::Unreachable { .. }), "{err:?}");
    assert!(
        err.to_string().contains(&format!(
            "cannot reach the team server at 127.0.0.1:{port}/postgres"
        )),
        "{err}"
    );

    assert!(matches!(
        Server::connect("postgresql://[::1"),
        Err(SyncError::BadAddress(_))
    ));

    // The server going away under an open connection.
    let mut a1 = team.login("analyst1");
    let ws = a1.create_workspace("Gone").unwrap();
    let mut su = cluster.superuser();
    su.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'analyst1'",
        &[],
    )
    .unwrap();
    let err = a1.pull(ws, 0, 10).unwrap_err();
    assert!(matches!(err, SyncError::ConnectionLost { .. }), "{err:?}");
    assert!(err.is_retryable());
}
