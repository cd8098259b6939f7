//! Reference data: statuses, user types, document types, time zones, the code master, pay
//! tiers, the auto-fix map and status rule sets.

use std::collections::BTreeSet;

use async_trait::async_trait;
use surgicase_ports::ReferenceRepo;
use surgicase_ports::records::*;

use super::state::{duplicate, fold, page};
use super::{R, Session};

#[async_trait]
impl ReferenceRepo for Session {
    async fn case_statuses(&mut self) -> R<Vec<StatusRecord>> {
        Ok(self.read(|s| s.statuses.values().cloned().collect()))
    }

    async fn user_types(&mut self) -> R<Vec<UserTypeRecord>> {
        Ok(self.read(|s| s.user_types.values().cloned().collect()))
    }

    async fn doc_types(&mut self) -> R<Vec<DocTypeRecord>> {
        Ok(self.read(|s| s.doc_types.values().cloned().collect()))
    }

    async fn timezones(&mut self) -> R<Vec<TimezoneRecord>> {
        Ok(self.read(|s| s.timezones.values().cloned().collect()))
    }

    async fn procedure_codes(&mut self, q: Option<&str>, limit: i64) -> R<Vec<ProcedureCodeRecord>> {
        let q = q.map(fold);
        Ok(self.read(|s| {
            let found = s.procedure_codes.values().filter(|c| match &q {
                None => true,
                Some(q) => fold(&c.procedure_code).starts_with(q) || fold(&c.procedure_desc).contains(q),
            });
            page(found.cloned(), limit, 0)
        }))
    }

    async fn code_info(&mut self, codes: &[String], tier: i32) -> R<Vec<CodeInfo>> {
        let wanted: BTreeSet<&str> = codes.iter().map(String::as_str).collect();
        Ok(self.read(|s| {
            wanted
                .iter()
                .filter_map(|code| s.procedure_codes.get(*code))
                .map(|c| CodeInfo {
                    procedure_code: c.procedure_code.clone(),
                    procedure_desc: c.procedure_desc.clone(),
                    code_category: c.code_category.clone(),
                    asst_surg: c.asst_surg,
                    price: c
                        .code_category
                        .as_ref()
                        .and_then(|bucket| s.pay_tiers.get(&(bucket.clone(), tier)))
                        .map(|row| row.pay_amount),
                })
                .collect()
        }))
    }

    async fn active_auto_fixes(&mut self, entered: &[String]) -> R<Vec<AutoFixRecord>> {
        let wanted: BTreeSet<&str> = entered.iter().map(String::as_str).collect();
        Ok(self.read(|s| {
            wanted.iter().filter_map(|code| s.auto_fixes.get(*code)).filter(|f| f.active).cloned().collect()
        }))
    }

    async fn insert_pay_tiers(&mut self, rows: &[PayTierRecord]) -> R<()> {
        self.write(|s| {
            for row in rows {
                let key = (row.code_bucket.clone(), row.tier);
                insert_new(&mut s.pay_tiers, key, row, "procedure_code_buckets2.PRIMARY")?;
            }
            Ok(())
        })
        .await
    }

    async fn auto_fixes(&mut self, include_inactive: bool) -> R<Vec<AutoFixRecord>> {
        Ok(self.read(|s| s.auto_fixes.values().filter(|f| include_inactive || f.active).cloned().collect()))
    }

    async fn deactivate_auto_fix(&mut self, entered_code: &str) -> R<bool> {
        self.write(|s| match s.auto_fixes.get_mut(entered_code) {
            Some(fix) if fix.active => {
                fix.active = false;
                Ok(true)
            }
            _ => Ok(false),
        })
        .await
    }

    async fn insert_status(&mut self, row: &StatusRecord) -> R<()> {
        self.write(|s| insert_new(&mut s.statuses, row.case_status, row, "case_status_list.PRIMARY")).await
    }

    async fn insert_user_type(&mut self, row: &UserTypeRecord) -> R<()> {
        self.write(|s| insert_new(&mut s.user_types, row.user_type, row, "user_type_list.PRIMARY")).await
    }

    async fn insert_doc_type(&mut self, row: &DocTypeRecord) -> R<()> {
        self.write(|s| insert_new(&mut s.doc_types, row.doc_type.clone(), row, "user_doc_type_list.PRIMARY"))
            .await
    }

    async fn active_rule_set(&mut self) -> R<Option<RuleSetRecord>> {
        Ok(self.read(|s| s.rule_sets.values().next_back().cloned()))
    }

    async fn rule_set_history(&mut self) -> R<Vec<RuleSetSummaryRecord>> {
        Ok(self.read(|s| {
            s.rule_sets
                .values()
                .rev()
                .map(|r| RuleSetSummaryRecord {
                    id: r.id,
                    name: r.name.clone(),
                    sha256: r.sha256.clone(),
                    created_ts: r.created_ts,
                    created_by: r.created_by.clone(),
                })
                .collect()
        }))
    }

    async fn insert_rule_set(&mut self, rule_set: &NewRuleSetRecord) -> R<i64> {
        self.write(|s| {
            let id = s.next_rule_set;
            s.next_rule_set += 1;
            let record = RuleSetRecord {
                id,
                name: rule_set.name.clone(),
                format: rule_set.format,
                source_toml: rule_set.source_toml.clone(),
                sha256: rule_set.sha256.clone(),
                created_ts: rule_set.created_ts,
                created_by: rule_set.created_by.clone(),
            };
            s.rule_sets.insert(id, record);
            Ok(id)
        })
        .await
    }

    async fn pay_tiers(&mut self) -> R<Vec<PayTierRecord>> {
        Ok(self.read(|s| {
            let mut rows: Vec<PayTierRecord> = s.pay_tiers.values().cloned().collect();
            rows.sort_by(|a, b| {
                (a.tier, a.pay_amount, fold(&a.code_bucket)).cmp(&(
                    b.tier,
                    b.pay_amount,
                    fold(&b.code_bucket),
                ))
            });
            rows
        }))
    }

    async fn upsert_statuses(&mut self, rows: &[StatusRecord]) -> R<()> {
        self.write(|s| {
            s.statuses.extend(rows.iter().map(|r| (r.case_status, r.clone())));
            Ok(())
        })
        .await
    }

    async fn upsert_user_types(&mut self, rows: &[UserTypeRecord]) -> R<()> {
        self.write(|s| {
            s.user_types.extend(rows.iter().map(|r| (r.user_type, r.clone())));
            Ok(())
        })
        .await
    }

    async fn upsert_doc_types(&mut self, rows: &[DocTypeRecord]) -> R<()> {
        self.write(|s| {
            s.doc_types.extend(rows.iter().map(|r| (r.doc_type.clone(), r.clone())));
            Ok(())
        })
        .await
    }

    async fn upsert_timezones(&mut self, rows: &[TimezoneRecord]) -> R<()> {
        self.write(|s| {
            s.timezones.extend(rows.iter().map(|r| (r.tz_identifier.clone(), r.clone())));
            Ok(())
        })
        .await
    }

    async fn upsert_procedure_codes(&mut self, rows: &[ProcedureCodeRecord]) -> R<()> {
        self.write(|s| {
            s.procedure_codes.extend(rows.iter().map(|r| (r.procedure_code.clone(), r.clone())));
            Ok(())
        })
        .await
    }

    async fn upsert_pay_tiers(&mut self, rows: &[PayTierRecord]) -> R<()> {
        self.write(|s| {
            s.pay_tiers.extend(rows.iter().map(|r| ((r.code_bucket.clone(), r.tier), r.clone())));
            Ok(())
        })
        .await
    }

    async fn upsert_auto_fixes(&mut self, rows: &[AutoFixRecord]) -> R<()> {
        self.write(|s| {
            s.auto_fixes.extend(rows.iter().map(|r| (r.entered_code.clone(), r.clone())));
            Ok(())
        })
        .await
    }
}

fn insert_new<K: Ord, V: Clone>(
    table: &mut std::collections::BTreeMap<K, V>,
    key: K,
    row: &V,
    constraint: &str,
) -> R<()> {
    if table.contains_key(&key) {
        return Err(duplicate(constraint));
    }
    table.insert(key, row.clone());
    Ok(())
}
