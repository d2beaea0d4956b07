#ifndef OMS_ORCHESTRATOR_SVC_ORCHESTRATOR_PERSONAL_DATA_H_
#define OMS_ORCHESTRATOR_SVC_ORCHESTRATOR_PERSONAL_DATA_H_

#include "platform/storage/personal_records.h"

namespace oms::orchestrator {

// Where the orchestrator keeps customers' personal data: workflows, tickets, review
// decisions, returns, feedback, compensations, and customer tags by customer key.
PersonalDataPlan OrchestratorPersonalData();

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_ORCHESTRATOR_PERSONAL_DATA_H_
